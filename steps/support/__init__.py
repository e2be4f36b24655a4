"""What the steps stand on: connections to HQ (in-process or live), the cast, deadlines."""
