Feature: HQ's doors
  As any visitor to HQ
  I want a clear answer when I knock on a door HQ does not have, or ask it for the wrong thing
  So that I know what went wrong without guessing

  Every refusal from HQ comes in the same form: a short code, a plain message, and details.

  Rule: Asking for something HQ does not offer is answered plainly

    Scenario: A door HQ does not have
      When an anonymous visitor knocks on the secret lair's door
      Then HQ tells the visitor there is no such door as the secret lair's

    Scenario: Doors are spelled exactly
      When an anonymous visitor asks for the roster in capital letters
      Then HQ tells the visitor there is no such door as the roster in capital letters

    @beyond-tutorial
    Scenario: Heroes can be looked up, but never dismissed
      Given Volt has joined the roster
      When an anonymous visitor tries to dismiss hero number 1
      Then HQ tells the visitor that heroes cannot be dismissed, only looked up

  Rule: An address means the same with or without a closing slash

    Scenario Outline: Either spelling reaches the same place
      Given Volt has joined the roster
      When an anonymous visitor visits <place> by both spellings of its address
      Then both visits find the same thing

      Examples: places anyone may visit
        | place             |
        | the roster        |
        | hero number 1     |
        | HQ's status       |
        | the visitor's identity |
        | the mission log   |

  @in-process @beyond-tutorial
  Rule: When something breaks inside HQ, HQ keeps its internals to itself

    Scenario: An internal failure says only that something went wrong
      Given something inside HQ is broken
      When an anonymous visitor uses the broken part of HQ
      Then HQ apologises that something went wrong inside it
      And the answer reveals nothing of HQ's internals
