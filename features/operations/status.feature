Feature: HQ's status and lifecycle
  As an operator of Hero HQ
  I want HQ to say truthfully whether it is up and its power grid on
  So that I know when heroes can rely on it

  Rule: HQ reports itself online once it has started

    @smoke
    Scenario: A started HQ is online with its grid powered
      When an operator checks HQ's status
      Then HQ reports that it is online with the grid powered

    @in-process
    Scenario: HQ that has not started yet is still warming up
      Given HQ has not started yet
      When an operator checks HQ's status
      Then HQ reports that it is warming up with the grid off

    @in-process
    Scenario: Shutting down powers the grid down
      When HQ shuts down
      Then HQ's grid is powered down

  @beyond-tutorial @in-process
  Rule: HQ's settings come from its environment

    Scenario: HQ set up for secure connections keeps the pass to them
      Given HQ is set up to send passes over secure connections only
      And Volt has joined the roster
      When Volt logs in
      Then Volt's pass is only sent over secure connections

    Scenario: HQ accepts the badges it is configured with
      Given HQ accepts only the badge "cobalt-42"
      And Volt carries the badge "cobalt-42"
      When Volt tries to recruit Volt
      Then HQ files Volt as hero number 1
