"""Reform plans and tasks, legal normative documents, the ISO 9001 register and the PAR-index self-assessment."""
