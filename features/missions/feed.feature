Feature: The mission status feed
  As a hero waiting for orders
  I want a live feed of HQ's status, sector by sector
  So that I know when to stand down

  Rule: The feed reports every sector, in order, and then stands down

    @smoke
    Scenario: Volt listens to the feed to the end
      When Volt tunes in to the status feed
      Then Volt hears these reports, in order:
        | kind   | report                |
        | status | all quiet on sector 1 |
        | status | all quiet on sector 2 |
        | status | all quiet on sector 3 |
        | close  | stand down            |
      And the feed ends after "stand down"

    Scenario: Every listener hears the whole feed
      When Volt tunes in to the status feed
      And Tide tunes in to the status feed
      Then Volt and Tide each hear 4 reports

  Rule: The feed is live: nothing between HQ and the hero may hold it back

    Scenario: The feed is marked live all the way to the hero
      When Volt tunes in to the status feed
      Then the feed arrives live, never stored or held back on the way
