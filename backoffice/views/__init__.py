"""The staff area's pages, one module per subject; URL names live in backoffice/urls.py."""
