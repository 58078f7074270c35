"""A cheap Argon2 for tests: same algorithm and hash format, a fraction of the memory and time
(the production cost, 100 MB per hash, makes every sign-in test take most of a second)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
