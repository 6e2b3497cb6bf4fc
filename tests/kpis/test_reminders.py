import io

import pytest
from django.core import mail
from django.core.management import call_command

from actions.models import ReminderLog
from tests.factories import ActionFactory, ProgressUpdateFactory, UserFactory
from tests.kpis.test_views import LONG_TEXTS, alike_actions

pytestmark = pytest.mark.django_db


def remind() -> str:
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_each_lead_gets_one_e_mail_listing_what_is_still_due(led_action, open_term, lead):
    done = ActionFactory(code="1.2(b)", text="Already submitted action")
    done.leads.add(lead)
    ProgressUpdateFactory(action=done, term=open_term, status="submitted")
    drafted = ActionFactory(code="1.2(c)", text="Drafted action")
    drafted.leads.add(lead)
    ProgressUpdateFactory(action=drafted, term=open_term, status="draft")
    assert "Reminders sent: 1." in remind()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [lead.email]
    assert message.subject.startswith("Due ") and "update for 2 actions" in message.subject
    assert "1.2(a)" in message.body and "1.2(c)" in message.body and "1.2(b)" not in message.body
    assert f"/updates/{led_action.pk}/{open_term.pk}/" in message.body


def test_the_e_mail_gives_each_action_s_whole_text(open_term, lead):
    """A lead could not tell two alike actions apart: the e-mail cut their text at 90
    characters. A plain-text line may be long."""
    for action in alike_actions("1.2(a)", "1.2(b)"):
        action.leads.add(lead)
    remind()
    body = mail.outbox[0].body
    for code, text in zip(("1.2(a)", "1.2(b)"), LONG_TEXTS, strict=True):
        assert f"- {code} {text}\n" in body


def test_running_it_twice_a_day_sends_nothing_more(led_action, open_term, lead):
    remind()
    assert "Reminders sent: 0. Already sent today: 1." in remind()
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.get().action_count == 1


def test_overdue_updates_say_so(led_action, open_term, lead):
    open_term.due_date = open_term.start_date
    open_term.save()
    remind()
    assert mail.outbox[0].subject.startswith("Overdue:")
    assert "is now overdue" in mail.outbox[0].body


def test_no_e_mail_when_everything_is_submitted_or_for_locked_terms(led_action, open_term, lead):
    ProgressUpdateFactory(action=led_action, term=open_term, status="approved")
    other = ActionFactory(code="2.1(a)")
    other.leads.add(UserFactory(role="Officer"))
    open_term.is_locked = True
    open_term.save()
    assert "Reminders sent: 0." in remind()
    assert mail.outbox == []


def test_leads_without_an_address_or_account_are_skipped(led_action, open_term, lead):
    lead.email = ""
    lead.save()
    inactive = UserFactory(is_active=False)
    led_action.leads.add(inactive)
    assert "Reminders sent: 0." in remind()
