Feature: HQ's published API contract
  As a developer building on Hero HQ
  I want HQ to publish a truthful description of everything it offers
  So that my code can rely on the contract instead of on experiments

  @beyond-tutorial
  Rule: The contract tells the truth about every service

    Scenario: Every service HQ offers is in the contract
      When a developer reads HQ's contract
      Then the contract describes every service HQ offers
      And the contract describes the comms channel

    Scenario: The contract says how each service answers
      When a developer reads HQ's contract
      Then the contract says recruiting answers with the new hero
      And the contract says a dispatch is accepted before it is recorded
      And the contract says the status feed is a live stream

    Scenario: The contract describes the badge and every refusal
      When a developer reads HQ's contract
      Then the contract says recruiting needs a badge
      And the contract gives every refusal in HQ's one error form

    Scenario: The API page works without the internet
      When a developer opens HQ's API page
      Then the page describes HQ's services
      And the page needs nothing from the internet
