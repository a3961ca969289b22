import pytest
from django.core.cache import cache
from django.urls import reverse

from cms import roles
from tests import factories
from tutorials.models import StepFeedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def vote(client, page, step_id, helpful="yes", **extra):
    return client.post(
        reverse("step_feedback"),
        {"page": page.pk, "step": step_id, "helpful": helpful},
        REMOTE_ADDR="10.1.2.3",
        **extra,
    )


def test_vote_is_stored_anonymously_and_redirects_to_the_step(client, tutorial):
    step_id = tutorial.step_ids()[1]
    response = vote(client, tutorial, step_id, "no")
    assert response.status_code == 302
    assert response["Location"] == f"{tutorial.url}?thanks={step_id}#step-2"
    feedback = StepFeedback.objects.get()
    assert (feedback.page_id, feedback.step_id, feedback.helpful) == (tutorial.pk, step_id, False)
    # Only the page, the step, the answer, one fixed reason and the time: nothing that identifies the person.
    assert {f.name for f in StepFeedback._meta.fields} == {"id", "page", "step_id", "helpful", "reason", "created_at"}
    followed = client.get(response["Location"])
    assert "感谢您的回答" in followed.content.decode() or "Thank you for your answer" in followed.content.decode()


def test_json_vote_for_script(client, tutorial):
    response = vote(client, tutorial, tutorial.step_ids()[0], HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["ok"] is True


def test_unknown_step_or_garbage_gets_a_clear_error(client, tutorial):
    response = vote(client, tutorial, "not-a-step")
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert vote(client, tutorial, tutorial.step_ids()[0], helpful="maybe").status_code == 400
    assert client.get(reverse("step_feedback")).status_code == 405
    assert StepFeedback.objects.count() == 0


def test_votes_on_a_draft_are_refused(client, tutorial_index):
    draft = factories.make_tutorial(tutorial_index, publish=False)
    assert vote(client, draft, draft.step_ids()[0]).status_code == 404


def test_votes_are_rate_limited_per_client(client, tutorial, settings):
    settings.STEP_FEEDBACK_RATE = (3, 3600)
    step = tutorial.step_ids()[0]
    assert [vote(client, tutorial, step).status_code for _ in range(3)] == [302, 302, 302]
    limited = vote(client, tutorial, step, HTTP_ACCEPT="application/json")
    assert limited.status_code == 429
    assert limited.json()["ok"] is False and limited.json()["error"]
    assert StepFeedback.objects.count() == 3
    # Another client is not affected.
    other = client.post(
        reverse("step_feedback"), {"page": tutorial.pk, "step": step, "helpful": "yes"}, REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 302


@pytest.mark.parametrize("group", [roles.PUBLICITY_OFFICERS, roles.STAFF_LEARNERS])
def test_other_roles_do_not_see_feedback(client, group):
    client.force_login(factories.make_user("someone", group))
    response = client.get(reverse("step_feedback_report"))
    assert response.status_code in (302, 403)


def test_changing_the_user_agent_or_a_forged_forwarded_header_does_not_reset_the_limit(client, tutorial, settings):
    settings.STEP_FEEDBACK_RATE = (2, 3600)
    step = tutorial.step_ids()[0]
    assert vote(client, tutorial, step, HTTP_USER_AGENT="Phone A").status_code == 302
    assert vote(client, tutorial, step, HTTP_USER_AGENT="Phone B").status_code == 302
    assert vote(client, tutorial, step, HTTP_USER_AGENT="Phone C").status_code == 429
    # With no proxy in front, X-Forwarded-For is whatever the client wrote.
    assert vote(client, tutorial, step, HTTP_X_FORWARDED_FOR="10.7.7.7").status_code == 429
    assert StepFeedback.objects.count() == 2


def test_behind_a_trusted_proxy_the_limit_counts_the_address_it_reports(client, tutorial, settings):
    settings.STEP_FEEDBACK_RATE = (2, 3600)
    settings.TRUSTED_PROXY_COUNT = 1
    step = tutorial.step_ids()[0]

    def via_proxy(forwarded):
        # Every request reaches the site from the proxy's own address.
        return vote(client, tutorial, step, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [via_proxy("203.0.113.5"), via_proxy("203.0.113.5"), via_proxy("203.0.113.5")] == [302, 302, 429]
    # What the client put left of the proxy's entry changes nothing.
    assert via_proxy("198.51.100.1, 203.0.113.5") == 429
    # Another person behind the same proxy still gets their votes.
    assert via_proxy("203.0.113.6") == 302


def test_each_page_takes_a_limited_number_of_votes_from_everyone(client, tutorial, tutorial_index, settings):
    settings.STEP_FEEDBACK_PAGE_RATE = (3, 3600)
    step = tutorial.step_ids()[0]
    codes = [
        client.post(
            reverse("step_feedback"), {"page": tutorial.pk, "step": step, "helpful": "no"}, REMOTE_ADDR=f"10.0.0.{n}"
        ).status_code
        for n in range(1, 6)
    ]
    assert codes == [302, 302, 302, 429, 429]
    other = factories.make_tutorial(tutorial_index, title="另一个教程")
    assert vote(client, other, other.step_ids()[0]).status_code == 302
