Feature: The guard at HQ's door
  As HQ's head of security
  I want only holders of a valid HQ badge to recruit
  So that no villain can slip onto the roster

  Rule: Only badge holders may recruit

    @smoke
    Scenario: A villain without a badge is turned away
      Given Sneaky carries no badge
      When Sneaky tries to recruit Sneaky
      Then HQ turns Sneaky away as a villain
      And nobody has joined the roster

    Scenario Outline: A forged badge is no badge at all
      Given Sneaky carries the badge "<badge>"
      When Sneaky tries to recruit Sneaky
      Then HQ turns Sneaky away as a villain
      And nobody has joined the roster

      Examples: badges that look almost right
        | badge        |
        | nope         |
        | HQ-BADGE-007 |
        | hq-badge-00  |
        | hq-badge-0077 |

    Scenario: A badge holder may recruit
      Given Volt carries a valid HQ badge
      When Volt tries to recruit Tide
      Then HQ files Tide as hero number 1

  Rule: Only the first badge shown counts

    Scenario: A forged badge shown first spoils a valid one shown after it
      Given Sneaky carries the badge "nope" and then a valid HQ badge
      When Sneaky tries to recruit Sneaky
      Then HQ turns Sneaky away as a villain

    Scenario: A valid badge shown first is enough
      Given Volt carries a valid HQ badge and then the badge "nope"
      When Volt tries to recruit Volt
      Then HQ files Volt as hero number 1

  Rule: The guard stops villains before reading their paperwork

    Scenario: A villain's bad paperwork is not even read
      Given Sneaky carries no badge
      When Sneaky files Sneaky's paperwork with the wattage "lots"
      Then HQ turns Sneaky away as a villain
      And nobody has joined the roster
