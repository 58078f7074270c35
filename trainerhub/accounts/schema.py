"""OpenAPI: our JWT authentication is simplejwt's with tenancy added; describe it the same way."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class TenantJWTScheme(SimpleJWTScheme):
    target_class = "trainerhub.core.authentication.TenantJWTAuthentication"
