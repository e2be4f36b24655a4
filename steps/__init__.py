"""HQ's step vocabulary: step definitions grouped by domain concept, and the support they share."""
