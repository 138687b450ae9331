"""Staff pages of election forensics."""

app_name = "forensics_staff"

urlpatterns: list = []
