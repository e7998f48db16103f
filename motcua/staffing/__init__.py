"""Posts and quotas per unit, staff records, qualifications, appointments, head counts at any date."""
