CALLS = []


def load_demo(stdout=None):
    CALLS.append(stdout)
