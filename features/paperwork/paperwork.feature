Feature: The Auditor checks every hero's paperwork
  As HQ's Auditor
  I want every recruit's paperwork complete and exact
  So that the roster only ever holds heroes we can rely on

  The paperwork is a form with a name, a power and a wattage. Names and powers are
  text of 1 to 100 characters; the wattage is a whole number of watts from 0 to
  9007199254740991 (the largest whole number every web page can hold exactly).

  Rule: The wattage is a whole number of watts, written as a number

    @beyond-tutorial
    Scenario Outline: The Auditor rejects a wattage that is not a whole number
      When the quartermaster files Volt's paperwork with the wattage <wattage>
      Then the Auditor rejects the paperwork because the wattage must be a whole number
      And nobody has joined the roster

      Examples: numbers written as text, or with a decimal point
        | wattage |
        | "9001"  |
        | 9001.5  |
        | 9001.0  |

      Examples: things that are not numbers at all
        | wattage |
        | yes     |
        | nothing |
        | "lots"  |

  Rule: The wattage is from 0 to 9007199254740991 watts

    Scenario: A wattage of zero is accepted
      When the quartermaster files Volt's paperwork with the wattage 0
      Then HQ files Volt as hero number 1

    @beyond-tutorial
    Scenario: A negative wattage is rejected
      When the quartermaster files Volt's paperwork with the wattage -1
      Then the Auditor rejects the paperwork because the wattage must be at least 0

    Scenario: The largest wattage is accepted
      When the quartermaster files Volt's paperwork with the wattage 9007199254740991
      Then HQ files Volt as hero number 1

    @beyond-tutorial
    Scenario: A wattage beyond the largest is rejected
      When the quartermaster files Volt's paperwork with the wattage 9007199254740992
      Then the Auditor rejects the paperwork because the wattage must be at most 9007199254740991

  Rule: Every field is required

    @beyond-tutorial
    Scenario Outline: Paperwork missing a field is rejected
      When the quartermaster files Volt's paperwork without a <field>
      Then the Auditor rejects the paperwork because the <field> is required
      And nobody has joined the roster

      Examples: each of the three fields
        | field   |
        | name    |
        | power   |
        | wattage |

    @beyond-tutorial
    Scenario: Every problem is listed at once
      When the quartermaster files Volt's paperwork with only a name
      Then the Auditor lists these problems:
        | field   | problem     |
        | power   | is required |
        | wattage | is required |

    Scenario: Extra fields on the form are ignored
      When the quartermaster files Volt's paperwork with an extra field "cape"
      Then HQ files Volt as hero number 1

  Rule: Names and powers are text of 1 to 100 characters

    @beyond-tutorial
    Scenario Outline: Empty, blank or non-text names and powers are rejected
      When the quartermaster files Volt's paperwork with the <field> <value>
      Then the Auditor rejects the paperwork because the <field> <problem>

      Examples: names and powers with nothing to read in them
        | field | value   | problem           |
        | name  | ""      | must not be empty |
        | name  | "   "   | must not be blank |
        | name  | 123     | must be text      |
        | power | ""      | must not be empty |
        | power | nothing | must be text      |

    Scenario Outline: Names and powers of 1 to 100 characters are accepted
      When the quartermaster files Volt's paperwork with a <field> of <length> characters
      Then the roster holds 1 hero

      Examples: the shortest and the longest names and powers
        | field | length |
        | name  | 1      |
        | name  | 100    |
        | power | 1      |
        | power | 100    |

    @beyond-tutorial
    Scenario Outline: Names and powers over 100 characters are rejected
      When the quartermaster files Volt's paperwork with a <field> of 101 characters
      Then the Auditor rejects the paperwork because the <field> must be at most 100 characters
      And nobody has joined the roster

      Examples: one character too long
        | field |
        | name  |
        | power |

  @beyond-tutorial
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
  Rule: Paperwork comes in HQ's own format

    Scenario Outline: Paperwork in another format is refused unread
      When the quartermaster sends Volt's paperwork as <format>
      Then HQ refuses the paperwork because it is not in HQ's format
      And nobody has joined the roster

      Examples: labels that are not HQ's format
        | format               |
        | a plain-text memo    |
        | a web form           |
        | an unlabelled parcel |

  Rule: HQ's format may carry a character set or a specialised label

    Scenario Outline: Paperwork labelled in HQ's format is read
      When the quartermaster sends Volt's paperwork as <format>
      Then HQ files Volt as hero number 1

      Examples: labels that are HQ's format
        | format                               |
        | HQ's format with a character set     |
        | HQ's format with a specialised label |

  Rule: Paperwork is at most 64 KiB

    Scenario: Paperwork of exactly 64 KiB is read
      When the quartermaster files Volt's paperwork padded to 64 KiB
      Then HQ files Volt as hero number 1

    @beyond-tutorial
    Scenario: Paperwork over 64 KiB is refused unread
      When the quartermaster files Volt's paperwork padded to 64 KiB and 1 byte
      Then HQ refuses the paperwork as larger than 64 KiB
      And nobody has joined the roster
