Feature: The Auditor checks every hero's paperwork
  As HQ's Auditor
  I want every recruit's paperwork complete and exact
  So that the roster only ever holds heroes we can rely on

  The paperwork is a form with a name, a power and a wattage. Names and powers are
  text of 1 to 100 characters; the wattage is a whole number of watts.

  Rule: The wattage is a whole number of watts, written as a number

    @beyond-tutorial
    Scenario Outline: The Auditor rejects a wattage that is not a whole number
      When the quartermaster files paperwork with the wattage <wattage>
      Then the Auditor rejects the paperwork because the wattage must be a whole number
      And nobody has joined the roster

      Examples: wattages HQ once let through, and ones it never did
        | wattage |
        | "9001"  |
        | 9001.5  |
        | 9001.0  |
        | yes     |
        | nothing |
        | "lots"  |

    @beyond-tutorial
    Scenario: A negative wattage is rejected
      When the quartermaster files paperwork with the wattage -5
      Then the Auditor rejects the paperwork because the wattage must be at least 0

    Scenario: A wattage of zero is accepted
      When the quartermaster files paperwork with the wattage 0
      Then HQ files Volt as hero number 1

  Rule: Every field is required

    Scenario Outline: Paperwork missing a field is rejected
      When the quartermaster files paperwork without a <field>
      Then the Auditor rejects the paperwork because the <field> is required
      And nobody has joined the roster

      Examples:
        | field   |
        | name    |
        | power   |
        | wattage |

    Scenario: Every problem is listed at once
      When the quartermaster files paperwork with only a name
      Then the Auditor lists these problems:
        | field   | problem     |
        | power   | is required |
        | wattage | is required |

    Scenario: Extra fields on the form are ignored
      When the quartermaster files paperwork with an extra field "cape"
      Then HQ files Volt as hero number 1

  @beyond-tutorial
  Rule: Names and powers are text of 1 to 100 characters

    Scenario Outline: Empty, blank or non-text names and powers are rejected
      When the quartermaster files paperwork with the <field> <value>
      Then the Auditor rejects the paperwork because the <field> <problem>

      Examples:
        | field | value | problem          |
        | name  | ""    | must not be empty |
        | name  | "   " | must not be blank |
        | name  | 123   | must be text      |
        | power | ""    | must not be empty |
        | power | nothing | must be text    |

    Scenario: A name of 100 characters is accepted
      When the quartermaster files paperwork with a name of 100 letters
      Then the roster holds 1 hero

    Scenario: A name of 101 characters is rejected
      When the quartermaster files paperwork with a name of 101 letters
      Then the Auditor rejects the paperwork because the name must be at most 100 characters

  Rule: The Auditor only reads paperwork it can make sense of

    Scenario: Garbled paperwork cannot be read
      When the quartermaster files garbled paperwork
      Then the Auditor cannot read the paperwork
      And nobody has joined the roster

    Scenario: An empty envelope has no paperwork in it
      When the quartermaster files an empty envelope
      Then the Auditor finds no paperwork

    Scenario: A list is not a form
      When the quartermaster files a list instead of a form
      Then the Auditor rejects the paperwork because the paperwork must be a form of named fields

  @beyond-tutorial
  Rule: Paperwork comes in HQ's own format, and within HQ's size limit

    Scenario Outline: Paperwork in another format is refused unread
      When the quartermaster sends Volt's paperwork as <format>
      Then HQ refuses the paperwork because it is not in HQ's format
      And nobody has joined the roster

      Examples:
        | format             |
        | a plain-text memo  |
        | a web form         |
        | an unlabelled parcel |

    Scenario Outline: HQ's format may carry a character set or a specialised label
      When the quartermaster sends Volt's paperwork as <format>
      Then HQ files Volt as hero number 1

      Examples:
        | format                          |
        | HQ's format with a character set |
        | HQ's format with a specialised label |

    Scenario: Oversized paperwork is refused
      When the quartermaster files paperwork larger than HQ accepts
      Then HQ refuses the paperwork as too large
      And nobody has joined the roster
