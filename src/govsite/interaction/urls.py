from django.urls import path

from . import views

urlpatterns = [
    path("", views.write, name="message_write"),
    path("done/", views.done, name="message_done"),
    path("cx/", views.lookup, name="message_lookup"),
    path("pj/", views.rating, name="message_rating"),
]
