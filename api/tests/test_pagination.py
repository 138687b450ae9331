import pytest

from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("api.tests.urls")]


def test_a_list_answers_its_first_page_of_fifty_with_the_counts(client):
    body = client.get("/api/test/numbers").json()
    assert body["items"] == list(range(1, 51))
    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (1234, 1, 50, 25)


def test_page_and_page_size_choose_the_window(client):
    body = client.get("/api/test/numbers?page=3&page_size=100").json()
    assert body["items"] == list(range(201, 301))
    assert body["pages"] == 13


def test_the_last_page_holds_the_remainder(client):
    body = client.get("/api/test/numbers?page=13&page_size=100").json()
    assert body["items"] == list(range(1201, 1235))


def test_a_page_past_the_end_is_empty_not_an_error(client):
    response = client.get("/api/test/numbers?page=99&page_size=100")
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_page_size_may_be_500_but_not_more(client):
    assert len(client.get("/api/test/numbers?page_size=500").json()["items"]) == 500
    response = client.get("/api/test/numbers?page_size=501")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "page_size"


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page_size=0", "page=x"])
def test_nonsense_page_parameters_are_validation_errors(client, query):
    assert client.get(f"/api/test/numbers?{query}").status_code == 422


def test_an_empty_list_has_zero_pages(client):
    body = client.get("/api/test/numbers?upto=0").json()
    assert (body["items"], body["count"], body["pages"]) == ([], 0, 0)


def test_a_queryset_is_counted_and_sliced_in_the_database(client, django_assert_num_queries):
    emails = sorted(UserFactory.create(email=f"p{n:02d}@example.org").email for n in range(7))
    with django_assert_num_queries(2):  # one COUNT, one page
        body = client.get("/api/test/users?page=2&page_size=3").json()
    assert body["items"] == emails[3:6]
    assert (body["count"], body["pages"]) == (7, 3)
