"""Reads of the organisation with business meaning: the unit tree in display order, subtrees."""

from .models import Unit


def units_in_tree_order(*, active_only: bool = False) -> list[Unit]:
    """Every unit, parents before children, siblings by (sort_order, code), in one query.

    Each unit carries `depth` (0 for a root) so that lists can indent it.
    """
    units = Unit.objects.order_by("sort_order", "code")
    if active_only:
        units = units.filter(is_active=True)
    units = list(units)
    ids = {unit.pk for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        # A unit whose parent is filtered out (inactive) is shown as a root.
        key = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(key, []).append(unit)

    ordered: list[Unit] = []
    stack = [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        unit.depth = depth
        ordered.append(unit)
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.pk, [])))
    return ordered


def unit_subtree_ids(unit: Unit | int) -> set[int]:
    """The ids of a unit and of every unit below it (one query over the parent links)."""
    root_id = unit if isinstance(unit, int) else unit.pk
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    todo = [root_id]
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.add(pk)
        todo.extend(children.get(pk, []))
    return found


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()


def unit_ancestor_ids(unit: Unit | int) -> list[int]:
    """The unit's id and those of every unit above it, nearest first (one query)."""
    node = unit if isinstance(unit, int) else unit.pk
    links = dict(Unit.objects.values_list("pk", "parent_id"))
    found: list[int] = []
    while node is not None and node not in found:
        found.append(node)
        node = links.get(node)
    return found
