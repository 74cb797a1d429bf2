from django.urls import path

from . import views

urlpatterns = [
    path("", views.apply, name="disclosure_apply"),
    path("done/", views.done, name="disclosure_done"),
    path("cx/", views.lookup, name="disclosure_lookup"),
    path("fj/<int:pk>/", views.attachment, name="disclosure_attachment"),
]
