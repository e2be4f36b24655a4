Feature: Who is logged in
  As a hero of HQ
  I want HQ to remember me once I have logged in, and forget me when I log out
  So that what I do at HQ is done as me, and nobody else can do it in my name

  HQ hands each hero who logs in a pass, signed so that nobody can forge one. The
  pass only identifies the hero while HQ itself still remembers it.

  Background:
    Given Volt has joined the roster
    And Tide has joined the roster

  Rule: A hero who logs in is recognised until they log out

    @smoke
    Scenario: Volt logs in and is recognised
      When Volt logs in
      Then HQ welcomes Volt by name
      And HQ recognises Volt as Volt

    Scenario: A visitor who never logged in is anonymous
      When an anonymous visitor asks HQ who they are
      Then HQ does not recognise the visitor

    Scenario: Two heroes are logged in at once without mixing them up
      Given Volt has logged in
      And Tide has logged in
      Then HQ recognises Volt as Volt
      And HQ recognises Tide as Tide

    @smoke
    Scenario: Logging out revokes the pass
      Given Volt has logged in
      When Volt logs out
      Then HQ bids Volt farewell
      And Volt's previous pass no longer opens any door
      And HQ does not recognise Volt

    Scenario: Logging out always succeeds, even without a pass
      When an anonymous visitor logs out
      Then HQ bids the visitor farewell

  Rule: Every login issues a fresh pass and ends the one before it

    Scenario: Logging in again replaces the previous pass
      Given Volt has logged in
      When Volt logs in again
      Then Volt's previous pass no longer opens any door
      And HQ recognises Volt as Volt

    Scenario: Logging in as another hero ends the first identity
      Given Volt has logged in
      When Volt logs in as hero number 2
      Then HQ recognises Volt as Tide
      And Volt's previous pass no longer opens any door

  Rule: Only heroes on the roster can log in

    Scenario: Nobody can log in as a hero HQ never recruited
      When Sneaky logs in as hero number 999
      Then HQ refuses to log Sneaky in as hero number 999
      And HQ does not recognise Sneaky

    @beyond-tutorial
    Scenario Outline: The hero number for a login must be a whole number
      When Sneaky logs in as hero number <written>
      Then the Auditor rejects the login because the hero number must be a whole number

      Examples: numbers written as text, or with a decimal point
        | written |
        | "1"     |
        | 1.0     |

      Examples: no number at all
        | written |
        | "abc"   |
        | nothing |

  Rule: A pass HQ did not issue, or no longer remembers, identifies nobody

    Scenario Outline: Forged and damaged passes are anonymous
      Given Volt has logged in
      When Sneaky presents <pass>
      Then HQ does not recognise Sneaky

      Examples: passes HQ never issued
        | pass                                     |
        | Volt's pass with a tampered signature    |
        | Volt's pass without its signature        |
        | a pass signed by another HQ              |
        | a pass of pure garbage                   |
        | an empty pass                            |
        | Volt's pass under an upper-case name     |

  Rule: The pass is kept away from page scripts and other sites

    Scenario: Volt's pass is protected and lasts two weeks
      When Volt logs in
      Then Volt's pass is hidden from page scripts and not sent by other sites
      And Volt's pass lasts 14 days

