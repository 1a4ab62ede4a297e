"""Benchmarks of gongbao: converter throughput, build times, memory, search, and the bytes a reader
downloads. Each module is a script (`python benchmarks/run.py --quick`) and a module of this package."""
