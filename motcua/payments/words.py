"""Amounts in Vietnamese words, as a receipt writes them: 1.250.000 → "Một triệu hai trăm năm mươi
nghìn đồng"."""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu", "tỷ")


def _three(n: int, *, full: bool) -> str:
    """0 < n < 1000; `full` when a higher group precedes (then 'không trăm', 'lẻ' are spoken)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return " ".join(words)


def _groups(n: int) -> list[int]:
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    return groups


def number_in_words(n: int) -> str:
    if n == 0:
        return "không"
    if n >= 1000**4:  # tỷ tỷ: split at billions and say the upper part in billions
        upper, lower = divmod(n, 1000**3)
        rest = number_in_words(lower) if lower else ""
        return f"{number_in_words(upper)} tỷ {rest}".strip()
    groups = _groups(n)
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        full = index < len(groups) - 1
        words.append(_three(group, full=full))
        if SCALES[index]:
            words.append(SCALES[index])
    return " ".join(words)


def amount_in_words(n: int) -> str:
    text = number_in_words(n)
    return text[0].upper() + text[1:] + " đồng"
