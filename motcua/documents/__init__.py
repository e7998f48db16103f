"""Files addressed by SHA-256, digitisation at intake, reuse, signed electronic results and their public verification."""
