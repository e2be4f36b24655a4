Feature: Recruitment and the roster
  As the quartermaster of Hero HQ
  I want to recruit heroes onto the roster and find them again
  So that HQ always knows who it can send into the field

  Rule: A recruit joins the roster under the next hero number

    @smoke
    Scenario: The first recruit becomes hero number 1
      Given the roster is empty
      When the quartermaster recruits Volt
      Then HQ files Volt as hero number 1
      And Volt is on the roster with the power "lightning" and 9001 watts

    Scenario: Hero numbers count up in recruitment order
      Given Volt has joined the roster
      When the quartermaster recruits Tide
      Then HQ files Tide as hero number 2

    Scenario: Names in any script are kept exactly as written
      When the quartermaster recruits "Ünïcødé ⚡" with the power "static" at 42 watts
      Then "Ünïcødé ⚡" is on the roster with the power "static" and 42 watts

  Rule: Anyone may read the roster, in recruitment order

    @smoke
    Scenario: The roster lists heroes in the order they joined
      Given these heroes have joined the roster:
        | name  | power     | wattage |
        | Volt  | lightning | 9001    |
        | Tide  | water     | 7000    |
        | Gale  | wind      | 4200    |
      When an anonymous visitor reads the roster
      Then the roster lists Volt, Tide and Gale in that order
      And the roster holds 3 heroes

    Scenario: An empty roster is simply empty
      When an anonymous visitor reads the roster
      Then the roster lists nobody

    Scenario: A visitor looks a hero up by number
      Given Volt has joined the roster
      When an anonymous visitor looks up hero number 1
      Then the visitor is shown Volt with the power "lightning" and 9001 watts

  Rule: Asking for a hero HQ never recruited is answered plainly

    Scenario Outline: There is no hero with that number
      Given Volt has joined the roster
      When an anonymous visitor looks up hero number <number>
      Then HQ tells the visitor there is no hero number <number>

      Examples: numbers never filed: too large, zero, and the next one
        | number |
        | 999    |
        | 0      |
        | 2      |

  Rule: A hero number is written with 1 to 18 of the digits 0 to 9

    Scenario: A hero number of 18 digits is a number HQ can look up
      Given Volt has joined the roster
      When an anonymous visitor looks up hero number 999999999999999999
      Then HQ tells the visitor there is no hero number 999999999999999999

    @beyond-tutorial
    Scenario Outline: Anything else is not a hero number
      Given Volt has joined the roster
      When an anonymous visitor looks up the hero numbered "<written>"
      Then the Auditor rejects the look-up because the hero number must be written with the digits 0-9

      Examples: a number of 19 digits
        | written             |
        | 1000000000000000000 |

      Examples: words, fractions and negative numbers
        | written      |
        | not-a-number |
        | 1.5          |
        | -1           |
