"""Satisfaction surveys and feedback/complaints (PAKN) with their working-day limits and the public Q&A."""
