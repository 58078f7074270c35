from django.apps import AppConfig


class PlansConfig(AppConfig):
    """The SaaS side: plans, limits and the trainer's own subscription (Paddle).

    Off unless the operator sets PLANS_ENABLED: a self-hosted install has no plans and no limits.
    """

    name = "trainerhub.plans"
    label = "plans"
