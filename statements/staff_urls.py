"""Staff pages of statements."""

app_name = "statements_staff"

urlpatterns: list = []
