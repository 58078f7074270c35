from django.urls import path

from trainerhub.contracts import public, views

app_name = "contracts"

urlpatterns = [
    path("", views.home, name="home"),
    path("templates/new/", views.template_new, name="template_new"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
    path("send/", views.send_new, name="send_new"),
    path("verify/", views.verify, name="verify"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/void/", views.void, name="void"),
    path("<int:pk>/countersign/", views.countersign, name="countersign"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/evidence/", views.evidence_page, name="evidence"),
    path("sign/<str:token>/", public.sign, name="sign"),
    path("sign/<str:token>/decline/", public.decline, name="decline"),
    path("my/<int:pk>/pdf/", public.my_pdf, name="my_pdf"),
]
