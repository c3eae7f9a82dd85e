from django.urls import path

from . import views

app_name = "lists"
urlpatterns = [
    path("lists/", views.manage_index, name="index"),
    path("lists/<int:pk>/", views.manage_detail, name="detail"),
    path("lists/<int:pk>/entries/", views.add_entry, name="add_entry"),
    path("lists/<int:pk>/entries/<int:entry_pk>/remove/", views.remove_entry, name="remove_entry"),
    path("lists/<int:pk>/notice/", views.open_notice, name="open_notice"),
    path("lists/<int:pk>/objections/<int:objection_pk>/", views.decide_objection, name="decide_objection"),
    path("lists/<int:pk>/final/", views.finalise, name="finalise"),
    path("lists/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("lists/<int:pk>/correct/", views.correct, name="correct"),
    path("public/lists/", views.public_index, name="public_index"),
    path("public/lists/<int:pk>/", views.public_detail, name="public_detail"),
]
