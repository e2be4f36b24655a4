"""HQ's benchmarks: every figure measured beside a baseline in the same run, reported as ratios."""
