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

      Examples: messages HQ cannot read or act on
        | message                       | complaint                                 |
        | a garbled message             | the message cannot be read                |
        | a list instead of a message   | a message must say what kind it is        |
        | a message of no stated kind   | the message does not say what kind it is  |
        | an invitation to dance        | HQ has no such kind of message            |
        | binary data                   | HQ does not take binary data              |

    @beyond-tutorial
    Scenario: A chat whose text is a number is returned to its sender
      Given Volt and Tide are on comms
      When Volt sends a chat whose text is a number
      Then Volt is told the chat must be text
      And Tide hears nothing

  Rule: A chat line is 1 to 4096 characters

    Scenario Outline: The shortest and the longest chat lines are heard
      Given Volt and Tide are on comms
      When Volt says a chat of <length> characters
      Then Tide hears a chat of <length> characters

      Examples: the shortest chat line, and the longest
        | length |
        | 1      |
        | 4096   |

    @beyond-tutorial
    Scenario: An empty chat is not broadcast
      Given Volt and Tide are on comms
      When Volt says ""
      Then Volt is told the chat must not be empty
      And Tide hears nothing

    @beyond-tutorial
    Scenario: A chat over 4096 characters is not broadcast
      Given Volt and Tide are on comms
      When Volt says a chat of 4097 characters
      Then Volt is told the chat must be at most 4096 characters
      And Tide hears nothing

  Rule: A message on comms is at most 64 KiB

    Scenario: A message of exactly 64 KiB is heard
      Given Volt and Tide are on comms
      When Volt says "made it" in a message padded to 64 KiB
      Then Tide hears "made it"

    @beyond-tutorial
    Scenario: A message over 64 KiB is returned to its sender unread
      Given Volt and Tide are on comms
      When Volt says "too much" in a message padded to 64 KiB and 1 byte
      Then Volt is told the message is larger than 64 KiB
      And Tide hears nothing
