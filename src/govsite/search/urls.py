from django.urls import path

from . import views

urlpatterns = [
    path("", views.search_page, name="search"),
    path("api/", views.search_api, name="search_api"),
    path("api/hot/", views.hot_words_api, name="search_hot_words"),
]
