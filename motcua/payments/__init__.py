"""Fees by bank QR (VietQR), incoming credits from banks, the matcher and reconciliation."""
