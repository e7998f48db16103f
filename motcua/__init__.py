"""Một Cửa — one-stop public service and administrative-reform platform."""
