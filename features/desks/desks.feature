@cluster
Feature: One HQ at every desk
  As an agency that has outgrown a single desk
  I want every desk of HQ to act as one HQ
  So that heroes are served the same wherever they walk in

  Rule: A pass is good at every desk until it is ended at any desk

    Scenario: A hero logged in at one desk is recognised at every desk
      Given Volt has joined the roster
      And Volt is at desk 1
      When Volt logs in
      Then every desk recognises Volt as Volt

    Scenario: A pass ended at one desk is ended everywhere
      Given Volt has joined the roster
      And Volt is at desk 1
      And Volt has logged in
      When Volt goes to desk 2
      And Volt logs out
      Then no desk recognises Volt's previous pass

  Rule: Every desk hears what is said at any desk

    Scenario: A word said at one desk is heard at every desk
      Given Volt is at desk 1
      And Tide is at desk 2
      And Volt and Tide are on comms
      When Volt says "storm over the bay"
      Then Volt and Tide each hear "storm over the bay" exactly once

    Scenario: Each speaker is heard in the order they spoke, at every desk
      Given Volt is at desk 1
      And Tide is at desk 2
      And Volt and Tide are on comms
      When Tide says "one"
      And Tide says "two"
      And Tide says "three"
      Then Volt hears "one", "two" and "three" in that order
      And Tide hears "one", "two" and "three" in that order

  Rule: Hero numbers are never given twice, whichever desk recruits

    Scenario: Heroes recruited at two desks at once get different numbers
      When 10 heroes are recruited at each of 2 desks at once
      Then every desk shows the same 20 heroes, numbered 1 to 20
