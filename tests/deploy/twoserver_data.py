"""The data of the two-server test (test_two_servers.py), written into its own database by a
process of its own: `python -m tests.deploy.twoserver_data` with that database's environment.

A small province (the test suite's: tests.dossiers.fixtures), its desk officer, division head and
specialist, and one dossier received at the desk now. Prints what the test needs as JSON.
"""

import json

import django


def main() -> None:
    django.setup()
    from motcua.accounts.roles import Role
    from motcua.calendars.services import calendar_seed_official_notices
    from motcua.catalog.services import catalog_import
    from motcua.dossiers.services import dossier_receive
    from tests.accounts.factories import PASSWORD, UserFactory
    from tests.catalog.factories import document, make_units
    from tests.dossiers.test_services import intake

    units = make_units()
    catalog_import(None, document())
    calendar_seed_official_notices()
    desk = UserFactory(role=Role.DESK_OFFICER, unit=units["centre"], username="motcua")
    head = UserFactory(role=Role.DIVISION_HEAD, unit=units["division"], username="truongphong")
    specialist = UserFactory(role=Role.SPECIALIST, unit=units["division"], username="chuyenvien")
    dossier = dossier_receive(desk, intake())
    print(
        json.dumps(
            {
                "dossier_id": dossier.pk,
                "code": dossier.code,
                "head": head.username,
                "password": PASSWORD,
                "specialist_id": specialist.pk,
            }
        )
    )


if __name__ == "__main__":
    main()
