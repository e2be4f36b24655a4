Feature: The comms channel
  As a hero in the field
  I want every message on the comms channel to reach every hero, me included
  So that the whole team acts on the same word at the same moment

  Rule: Every hero on comms hears every message, the sender included

    @smoke
    Scenario: A call to assemble reaches everyone
      Given Volt and Tide are on comms
      When Volt says "assemble!"
      Then Volt hears "assemble!"
      And Tide hears "assemble!"

    Scenario: A hero alone on comms still hears their own message
      Given Volt is on comms
      When Volt says "testing, testing"
      Then Volt hears "testing, testing"

    Scenario: Three heroes each hear a message exactly once
      Given Volt, Tide and Gale are on comms
      When Tide says "regroup at the tower"
      Then Volt, Tide and Gale each hear "regroup at the tower" exactly once

    Scenario: Messages arrive in the order they were said
      Given Volt and Tide are on comms
      When Volt says "one"
      And Volt says "two"
      And Volt says "three"
      Then Tide hears "one", "two" and "three" in that order

    Scenario: A hero who leaves does not disturb the others
      Given Volt, Tide and Gale are on comms
      When Gale leaves comms
      And Volt says "still here?"
      Then Volt and Tide each hear "still here?" exactly once

  Rule: A message HQ cannot understand is returned to its sender alone

    Scenario Outline: The sender is told what is wrong, and nobody else hears it
      Given Volt and Tide are on comms
      When Volt sends <message>
      Then Volt is told <complaint>
      And Tide hears nothing
      And Volt can still be heard by Tide

      Examples:
        | message                       | complaint                                 |
        | a garbled message             | the message cannot be read                |
        | a list instead of a message   | a message must say what kind it is        |
        | a message with no event       | the message does not say what kind it is  |
        | an invitation to dance        | HQ has no such kind of message            |
        | binary data                   | HQ does not take binary data              |
        | a chat whose text is a number | the chat is not in order                  |
        | an oversized message          | the message is too large                  |

    @beyond-tutorial
    Scenario: An empty chat is not broadcast
      Given Volt and Tide are on comms
      When Volt says ""
      Then Volt is told the chat is not in order
      And Tide hears nothing
