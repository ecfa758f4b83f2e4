"""The benchmark and the load test: tools of the developers, not part of the product."""

from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    verbose_name = "r2p benchmarks"
