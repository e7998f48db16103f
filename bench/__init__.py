"""Benchmarks. Each `bench/bench_<name>.py` has a `main()` that runs one benchmark and prints its
figures; `python -m bench` (or `make bench`) runs them all, `python -m bench NAME` runs one."""
