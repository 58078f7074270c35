from django.apps import AppConfig


class PlansConfig(AppConfig):
    """The SaaS side: plans, limits and the trainer's own subscription (Paddle).

    Off unless the operator sets PLANS_ENABLED: a self-hosted install has no plans and no limits.
    """

    name = "trainerhub.plans"
    label = "plans"

    def ready(self) -> None:
        from trainerhub.accounts.branding import brand_rule_add
        from trainerhub.plans.branding import plan_brand_rule

        brand_rule_add(plan_brand_rule)
