"""Helpers shared by tests (one place): seeded meetings, signed-in AppTests, reference paths."""
