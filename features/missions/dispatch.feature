Feature: Dispatching heroes
  As mission control
  I want to send heroes out without waiting for the mission log to be written
  So that heroes leave at once and the mission log still records every dispatch

  Rule: A dispatch is accepted at once and recorded in the mission log

    @smoke
    Scenario: Volt is dispatched and the mission log records it
      When mission control dispatches Volt
      Then HQ accepts the dispatch of Volt
      And the mission log shows Volt

    Scenario: The mission log keeps dispatches in order
      When mission control dispatches Volt
      And mission control dispatches Tide
      And mission control dispatches Volt
      Then the mission log shows Volt, Tide and Volt in that order

    Scenario: A fresh HQ has dispatched nobody
      When mission control reads the mission log
      Then the mission log is empty

  Rule: A dispatch must name a hero

    @beyond-tutorial
    Scenario: A dispatch without a hero is rejected
      When mission control dispatches nobody
      Then the Auditor rejects the dispatch because the hero is required
      And the mission log is empty

    @beyond-tutorial
    Scenario: A dispatch naming an empty hero is rejected
      When mission control dispatches ""
      Then the Auditor rejects the dispatch because the hero must not be empty
      And the mission log is empty
