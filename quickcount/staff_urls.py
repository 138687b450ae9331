"""Staff pages of the quick count."""

app_name = "quickcount_staff"

urlpatterns: list = []
