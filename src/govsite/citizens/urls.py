from django.urls import path

from . import views

# /zhaocuo/: 我为政府网站找错
report_urlpatterns = [
    path("", views.report, name="citizens_report"),
    path("done/", views.report_done, name="citizens_report_done"),
]

# /zhanghu/: the public account
account_urlpatterns = [
    path("", views.home, name="citizens_home"),
    path("denglu/", views.sign_in, name="citizens_sign_in"),
    path("zhuce/", views.register, name="citizens_register"),
    path("tuichu/", views.sign_out, name="citizens_sign_out"),
]
