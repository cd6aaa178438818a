"""Every rule of the ladder, on both sides of its boundary, with the day pinned by --on."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

HEAD = """
customer:
  name: ACME GmbH
  kind: {kind}
  contact: Erika Muster
{extra}history:
  - at: {invoiced}
    event: invoice
    number: RE-1
    amount: {amount}
"""
ASSISTANT = "  assistant: {name: Jana Beispiel, phone: \"+49 30 5551235\"}\n"
MANAGER = "  manager: {name: Max Muster, role: CEO, phone: \"+49 30 5551200\"}\n"


def write(ledger, events: str = "", kind: str = "business", invoiced: str = "2026-10-01", amount: str = "1190.00",
          extra: str = "") -> None:
    text = HEAD.format(kind=kind, extra=extra, invoiced=invoiced, amount=amount)
    ledger.case("c", text + "\n".join("  " + line for line in events.strip("\n").splitlines()) + "\n")


def actions(ledger, on: str) -> dict[str, dict]:
    result = ledger.run("today", "--json", "--on", on)
    assert result.exit_code == 0, result.stderr
    return {a["action"]: a for a in json.loads(result.stdout)}


def before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def assert_starts(ledger, action: str, day: str, *, scheduled: str | None = None) -> dict:
    """Absent the day before, present on the day: the boundary of one rule."""
    assert action not in actions(ledger, before(day)), f"{action} already on {before(day)}"
    found = actions(ledger, day)
    assert action in found, f"{action} missing on {day}: {sorted(found)}"
    assert found[action]["scheduled"] == (scheduled or day)
    return found[action]


CALL_REACHED = "- at: 2026-10-15 10:00\n  event: call\n  outcome: reached\n"


# ---- ladder for private and business customers --------------------------------------------------

def test_info_call_on_day_14(ledger):
    write(ledger)
    item = assert_starts(ledger, "info_call", "2026-10-15")
    assert (item["channel"], item["window"], item["attempt"]) == ("call", "Tue-Thu 09:00-16:00", 1)


def test_info_call_done_by_any_call(ledger):
    write(ledger, CALL_REACHED)
    assert "info_call" not in actions(ledger, "2026-10-20")


def test_business_call_due_on_sunday_is_scheduled_on_tuesday(ledger):
    write(ledger, invoiced="2026-10-04")  # day 14 is Sunday 2026-10-18
    item = assert_starts(ledger, "info_call", "2026-10-20")
    assert item["due"] == "2026-10-18"


def test_private_call_due_on_sunday_is_scheduled_on_monday(ledger):
    write(ledger, kind="private", invoiced="2026-10-04")
    item = assert_starts(ledger, "info_call", "2026-10-19")
    assert item["window"] == "Mon-Fri 18:00-20:00, Sat 10:00-14:00"


def test_customer_call_window_overrides_the_default(ledger):
    write(ledger, invoiced="2026-10-04", extra="  call_window: \"mon 07:00-09:00\"\n")
    assert_starts(ledger, "info_call", "2026-10-19")


def test_collection_call_on_day_31_in_the_window(ledger):
    write(ledger, CALL_REACHED)  # day 31 is Sunday 2026-11-01
    item = assert_starts(ledger, "collection_call", "2026-11-03")
    assert item["due"] == "2026-11-01"
    assert item["reason"] == "Day 31 after invoice RE-1 and still unpaid."


def test_collection_call_not_before_the_due_date(ledger):
    ledger.case("c", HEAD.format(kind="business", extra="", invoiced="2026-10-01", amount="100") +
                "    due: 2026-11-20\n  - at: 2026-10-15\n    event: call\n    outcome: reached\n")
    assert_starts(ledger, "collection_call", "2026-11-24", scheduled="2026-11-24")
    assert actions(ledger, "2026-11-24")["collection_call"]["due"] == "2026-11-21"


def test_only_the_most_advanced_ladder_step_is_shown(ledger):
    write(ledger)  # never called: info call and collection call are both due
    found = actions(ledger, "2026-11-03")
    assert "collection_call" in found and "info_call" not in found


def test_public_holiday_is_skipped_for_calls(ledger):
    reached = "- at: 2026-11-26 19:00\n  event: call\n  outcome: reached\n"
    write(ledger, reached, kind="private", invoiced="2026-11-23")
    assert actions(ledger, "2026-12-24")["collection_call"]["scheduled"] == "2026-12-24"
    # day 31 is Friday 25 Dec, Christmas; Saturday 26 Dec is a holiday too: Monday 28 Dec
    write(ledger, reached, kind="private", invoiced="2026-11-24")
    item = assert_starts(ledger, "collection_call", "2026-12-28")
    assert item["due"] == "2026-12-25"


ATTEMPTS = """
- at: 2026-10-15 10:00
  event: call
  outcome: reached
- at: 2026-11-03 10:00
  event: call
  outcome: no_answer
"""


def test_next_attempt_two_working_days_after_an_unanswered_one(ledger):
    write(ledger, ATTEMPTS)
    assert "collection_call" not in actions(ledger, "2026-11-04")
    item = actions(ledger, "2026-11-05")["collection_call"]
    assert (item["attempt"], item["due"]) == (2, "2026-11-05")


def test_third_attempt_waits_for_the_window(ledger):
    write(ledger, ATTEMPTS + "- at: 2026-11-05 10:00\n  event: call\n  outcome: voicemail\n")
    item = assert_starts(ledger, "collection_call", "2026-11-10")  # due Monday 9 Nov, called on Tuesday
    assert (item["attempt"], item["due"]) == (3, "2026-11-09")


THREE_UNANSWERED = ATTEMPTS + """
- at: 2026-11-05 10:00
  event: call
  outcome: voicemail
- at: 2026-11-10 10:00
  event: call
  outcome: denied
"""


def test_three_unanswered_attempts_lead_to_the_callback_letter(ledger):
    write(ledger, THREE_UNANSWERED)
    item = assert_starts(ledger, "callback_letter", "2026-11-11")
    assert item["template"] == "callback-request"
    assert "collection_call" not in actions(ledger, "2026-11-11")


CALLBACK = THREE_UNANSWERED + "- at: 2026-11-11\n  event: letter\n  template: callback-request\n"


def test_assistant_is_called_a_week_after_the_callback_letter(ledger):
    write(ledger, CALLBACK, extra=ASSISTANT + MANAGER)
    assert_starts(ledger, "call_assistant", "2026-11-18")


def test_manager_after_the_assistant(ledger):
    write(ledger, CALLBACK + "- at: 2026-11-18 10:00\n  event: call\n  with: assistant\n  outcome: no_answer\n",
          extra=ASSISTANT + MANAGER)
    assert_starts(ledger, "call_manager", "2026-11-25")


def test_manager_after_the_callback_letter_when_no_assistant(ledger):
    write(ledger, CALLBACK, extra=MANAGER)
    assert_starts(ledger, "call_manager", "2026-11-18")


def test_no_escalation_without_contacts_goes_to_the_dunning_letter(ledger):
    write(ledger, CALLBACK)
    assert_starts(ledger, "dunning_letter", "2026-11-18")


def test_dunning_letter_a_week_after_the_manager_call(ledger):
    write(ledger, CALLBACK + "- at: 2026-11-18 10:00\n  event: call\n  with: manager\n  outcome: voicemail\n",
          extra=MANAGER)
    assert_starts(ledger, "dunning_letter", "2026-11-25")


def test_dunning_letter_a_week_after_a_call_that_reached_the_customer(ledger):
    write(ledger, CALL_REACHED + "- at: 2026-11-03 10:00\n  event: call\n  outcome: reached\n")
    item = assert_starts(ledger, "dunning_letter", "2026-11-10")
    assert item["template"] == "dunning"


DUNNED = CALL_REACHED + """
- at: 2026-11-03 10:00
  event: call
  outcome: reached
- at: 2026-11-10
  event: letter
  template: dunning
"""


def test_final_notice_the_day_after_the_dunning_deadline(ledger):
    write(ledger, DUNNED)  # deadline Friday 2026-11-20
    assert_starts(ledger, "final_notice", "2026-11-21")


def test_deadline_on_christmas_moves_to_the_next_working_day(ledger):
    write(ledger, CALL_REACHED + "- at: 2026-12-08 10:00\n  event: call\n  outcome: reached\n"
          "- at: 2026-12-15\n  event: letter\n  template: dunning\n")
    # 15 Dec + 10 = Friday 25 Dec (holiday), Saturday 26 Dec (holiday), Sunday: deadline Monday 28 Dec
    assert_starts(ledger, "final_notice", "2026-12-29")


NOTICED = DUNNED + "- at: 2026-11-23\n  event: letter\n  template: final-notice\n"


def test_decide_legal_after_the_final_notice_deadline_below_the_meeting_threshold(ledger):
    write(ledger, NOTICED)  # deadline Thursday 3 Dec
    item = assert_starts(ledger, "decide_legal", "2026-12-04")
    assert item["channel"] == "decision"
    assert "meeting" not in actions(ledger, "2026-12-04")


def test_meeting_before_deciding_on_a_large_claim(ledger):
    write(ledger, NOTICED, amount="5000.00")
    assert_starts(ledger, "meeting", "2026-12-04")
    assert "decide_legal" not in actions(ledger, "2026-12-10")


def test_decide_legal_after_the_meeting(ledger):
    write(ledger, NOTICED + "- at: 2026-12-08\n  event: meeting\n  outcome: reached\n", amount="5000.00")
    assert_starts(ledger, "decide_legal", "2026-12-08")


def test_decide_legal_right_after_a_refusal(ledger):
    write(ledger, CALL_REACHED + "- at: 2026-11-03 10:00\n  event: call\n  outcome: refused\n")
    assert_starts(ledger, "decide_legal", "2026-11-03")
    assert "dunning_letter" not in actions(ledger, "2026-11-20")


@pytest.mark.parametrize("closing", ["- at: 2026-12-05\n  event: legal\n  route: dunning_court\n",
                                     "- at: 2026-12-05\n  event: written_off\n  reason: gone\n",
                                     "- at: 2026-12-05\n  event: hold\n  until: 2027-01-10\n  reason: r\n"])
def test_decide_legal_done_by_legal_write_off_or_hold(ledger, closing):
    write(ledger, NOTICED + closing)
    assert "decide_legal" not in actions(ledger, "2026-12-06")


# ---- ladder for corporate and public customers --------------------------------------------------

CORP = "- at: 2026-10-05\n  event: invoice\n  number: RE-2\n  amount: 10.00\n  due: 2026-11-04\n"


def corporate(ledger, events: str = "") -> None:
    ledger.case("c", "customer:\n  name: Stadtwerke\n  kind: public\nhistory:\n"
                + "\n".join("  " + line for line in (CORP + events).strip("\n").splitlines()) + "\n")


def test_reminder_letter_three_days_after_the_due_date(ledger):
    corporate(ledger)
    assert_starts(ledger, "reminder_letter", "2026-11-07")
    assert "info_call" not in actions(ledger, "2026-11-07")


def test_corporate_dunning_letter_after_the_reminder_deadline(ledger):
    corporate(ledger, "- at: 2026-11-09\n  event: letter\n  template: reminder\n")
    assert_starts(ledger, "dunning_letter", "2026-11-20")


def test_corporate_final_notice_and_decision(ledger):
    corporate(ledger, "- at: 2026-11-09\n  event: letter\n  template: reminder\n"
                      "- at: 2026-11-20\n  event: letter\n  template: dunning\n")
    assert_starts(ledger, "final_notice", "2026-12-01")
    corporate(ledger, "- at: 2026-11-09\n  event: letter\n  template: reminder\n"
                      "- at: 2026-11-20\n  event: letter\n  template: dunning\n"
                      "- at: 2026-12-01\n  event: letter\n  template: final-notice\n")
    assert_starts(ledger, "decide_legal", "2026-12-12")


# ---- event-driven actions -----------------------------------------------------------------------

PROMISED = CALL_REACHED + """
- at: 2026-11-17 09:00
  event: call
  outcome: promised
  promise: {amount: 1190.00, by: 2026-11-30}
"""


def test_confirm_promise_on_the_day_and_done_by_the_letter(ledger):
    write(ledger, PROMISED)
    item = assert_starts(ledger, "confirm_promise", "2026-11-17")
    assert item["template"] == "promise-confirmation"
    write(ledger, PROMISED + "- at: 2026-11-17\n  event: letter\n  template: promise-confirmation\n")
    assert "confirm_promise" not in actions(ledger, "2026-11-18")


def test_open_promise_pauses_the_ladder(ledger):
    write(ledger, PROMISED + "- at: 2026-11-17\n  event: letter\n  template: promise-confirmation\n")
    assert actions(ledger, "2026-12-02") == {}


def test_promise_broken_after_the_grace_days(ledger):
    write(ledger, PROMISED + "- at: 2026-11-17\n  event: letter\n  template: promise-confirmation\n")
    item = assert_starts(ledger, "promise_broken", "2026-12-03")
    assert item["channel"] == "call"


def test_promise_kept_gives_nothing(ledger):
    write(ledger, PROMISED + "- at: 2026-11-17\n  event: letter\n  template: promise-confirmation\n"
          "- at: 2026-11-29\n  event: payment\n  amount: 1190.00\n")
    assert actions(ledger, "2026-12-03") == {}


def test_after_the_broken_promise_call_the_ladder_resumes_at_the_dunning_letter(ledger):
    write(ledger, PROMISED + "- at: 2026-11-17\n  event: letter\n  template: promise-confirmation\n"
          "- at: 2026-12-03 10:00\n  event: call\n  outcome: no_answer\n")
    assert "promise_broken" not in actions(ledger, "2026-12-04")
    assert_starts(ledger, "dunning_letter", "2026-12-10")


def test_hardship_asks_for_a_down_payment(ledger):
    write(ledger, CALL_REACHED + "- at: 2026-11-10 18:30\n  event: call\n  outcome: hardship\n")
    item = assert_starts(ledger, "ask_down_payment", "2026-11-10")
    assert item["template"] == "down-payment-request"
    write(ledger, CALL_REACHED + "- at: 2026-11-10 18:30\n  event: call\n  outcome: hardship\n"
          "- at: 2026-11-12\n  event: payment\n  amount: 100\n")
    assert "ask_down_payment" not in actions(ledger, "2026-11-12")


AGREED = """
- at: 2026-07-20 18:30
  event: call
  outcome: hardship
- at: 2026-07-22
  event: agreement
  installments:
    - {amount: 500.00, by: 2026-10-15}
    - {amount: 690.00, by: 2026-11-15}
"""


def test_confirm_agreement_on_the_day(ledger):
    write(ledger, AGREED, invoiced="2026-06-15")
    item = assert_starts(ledger, "confirm_agreement", "2026-07-22")
    assert item["template"] == "installment-agreement"


def test_chase_signature_a_week_after_the_agreement_letter(ledger):
    write(ledger, AGREED + "- at: 2026-07-22\n  event: letter\n  template: installment-agreement\n",
          invoiced="2026-06-15")
    assert_starts(ledger, "chase_signature", "2026-07-29")
    write(ledger, AGREED + "- at: 2026-07-22\n  event: letter\n  template: installment-agreement\n"
          "- at: 2026-07-28\n  event: signed\n", invoiced="2026-06-15")
    assert "chase_signature" not in actions(ledger, "2026-07-29")


SIGNED = AGREED + """
- at: 2026-07-22
  event: letter
  template: installment-agreement
- at: 2026-07-28
  event: signed
- at: 2026-10-14
  event: payment
  amount: 500.00
"""


def test_agreement_on_track_pauses_the_ladder(ledger):
    write(ledger, SIGNED, invoiced="2026-06-15")
    assert actions(ledger, "2026-11-18") == {}


def test_installment_missed_after_its_grace_days(ledger):
    write(ledger, SIGNED, invoiced="2026-06-15")
    assert_starts(ledger, "installment_missed", "2026-11-19")


def test_after_the_missed_instalment_call_the_ladder_resumes_at_the_final_notice(ledger):
    write(ledger, SIGNED + "- at: 2026-11-24 10:00\n  event: call\n  outcome: reached\n", invoiced="2026-06-15")
    found = actions(ledger, "2026-11-24")
    assert "installment_missed" not in found
    assert found["final_notice"]["due"] == "2026-11-24"


THREE_INSTALMENTS = SIGNED.replace("    - {amount: 690.00, by: 2026-11-15}\n",
                                   "    - {amount: 300.00, by: 2026-11-15}\n    - {amount: 390.00, by: 2026-12-15}\n")
MISSED_AND_CALLED = THREE_INSTALMENTS + "- at: 2026-11-24 10:00\n  event: call\n  outcome: reached\n"


def test_after_catching_up_with_the_instalments_the_ladder_returns_to_the_agreement(ledger):
    write(ledger, MISSED_AND_CALLED + "- at: 2026-11-26\n  event: payment\n  amount: 300.00\n",
          invoiced="2026-06-15")
    assert "final_notice" in actions(ledger, "2026-11-25")  # before the payment: the final notice is due
    assert actions(ledger, "2026-12-03") == {}  # a week after catching up: nothing, the agreement runs
    shown = json.loads(ledger.run("show", "c", "--json", "--on", "2026-12-03").stdout)
    assert shown["status"] == "agreement"
    why = ledger.run("why", "c", "--on", "2026-12-03").stdout
    assert "back on track" in why and "caught up: 800.00 paid since the agreement" in why


def test_a_catch_up_that_falls_short_keeps_the_final_notice(ledger):
    write(ledger, MISSED_AND_CALLED + "- at: 2026-11-26\n  event: payment\n  amount: 299.99\n",
          invoiced="2026-06-15")
    assert "final_notice" in actions(ledger, "2026-12-03")


def test_a_later_instalment_missed_after_catching_up_is_called_about_again(ledger):
    write(ledger, MISSED_AND_CALLED + "- at: 2026-11-26\n  event: payment\n  amount: 300.00\n",
          invoiced="2026-06-15")
    item = assert_starts(ledger, "installment_missed", "2026-12-22")  # due 19 Dec, a Saturday: called Tue
    assert item["due"] == "2026-12-19"


def test_dispute_is_a_decision_and_pauses_the_ladder(ledger):
    write(ledger, "- at: 2026-10-21 11:00\n  event: call\n  outcome: disputed\n")
    item = assert_starts(ledger, "resolve_dispute", "2026-10-21")
    assert item["channel"] == "decision"
    assert set(actions(ledger, "2026-11-05")) == {"resolve_dispute"}


def test_resolved_dispute_resumes_the_ladder(ledger):
    write(ledger, "- at: 2026-10-21 11:00\n  event: call\n  outcome: disputed\n"
          "- at: 2026-11-03\n  event: resolved\n")
    assert set(actions(ledger, "2026-11-03")) == {"collection_call"}
    assert_starts(ledger, "dunning_letter", "2026-11-10")


def test_hold_pauses_until_it_ends(ledger):
    write(ledger, CALL_REACHED + "- at: 2026-10-20\n  event: hold\n  until: 2026-12-15\n  reason: hospital\n")
    assert actions(ledger, "2026-12-14") == {}
    found = actions(ledger, "2026-12-15")
    assert found["hold_ended"]["channel"] == "decision"
    assert "collection_call" in found


def test_limitation_warning_from_1_october_of_the_last_year(ledger):
    # invoice of 2023 -> time-barred after 2026-12-31 (§§195, 199 BGB); the warning comes from 1 October 2026
    # (90 days before would be 2026-10-02: 1 October is earlier)
    write(ledger, "- at: 2023-07-26 10:30\n  event: call\n  outcome: no_answer\n", invoiced="2023-06-12")
    item = assert_starts(ledger, "limitation_warning", "2026-10-01")
    assert "2026-12-31" in item["reason"]


def test_part_payment_restarts_limitation(ledger):
    write(ledger, "- at: 2026-03-02\n  event: payment\n  amount: 100\n", invoiced="2023-06-12")
    # a payment of 2026-03-02 restarts the term: after 2029-03-02; the warning 90 days before, 2028-12-02
    assert "limitation_warning" not in actions(ledger, "2026-11-01")
    assert "limitation_warning" not in actions(ledger, "2028-12-01")
    assert "limitation_warning" in actions(ledger, "2028-12-02")


@pytest.mark.parametrize("closing", ["- at: 2026-10-20\n  event: payment\n  amount: 1190.00\n",
                                     "- at: 2026-10-20\n  event: written_off\n  reason: gone\n",
                                     "- at: 2026-10-20\n  event: legal\n  route: lawyer\n"])
def test_settled_written_off_and_legal_cases_have_no_actions(ledger, closing):
    write(ledger, closing)
    assert actions(ledger, "2026-11-03") == {}


def test_policy_override_moves_a_date(ledger):
    ledger.config("policy:\n  collection_call_day: 28\n")
    write(ledger, CALL_REACHED)  # day 28 is Thursday 2026-10-29
    assert_starts(ledger, "collection_call", "2026-10-29")


def test_unknown_policy_key_is_an_error_with_a_suggestion(ledger):
    ledger.config("policy:\n  call_atempts: 2\n")
    write(ledger)
    result = ledger.run("today")
    assert result.exit_code == 1
    assert "unknown key 'call_atempts' in policy; did you mean 'call_attempts'?" in result.stderr


def test_ahead_shows_what_falls_due_soon(ledger):
    write(ledger, CALL_REACHED)
    assert "collection_call" not in actions(ledger, "2026-10-30")
    result = ledger.run("today", "--json", "--on", "2026-10-30", "--ahead", "4")
    assert [a["action"] for a in json.loads(result.stdout)] == ["collection_call"]


def test_ledger_call_window_for_a_kind_overrides_the_default(ledger):
    ledger.config('call_windows:\n  business: "mon 07:00-09:00"\n')
    write(ledger, invoiced="2026-10-04")  # day 14 is Sunday 2026-10-18: Monday, not Tuesday
    item = assert_starts(ledger, "info_call", "2026-10-19")
    assert item["window"] == "Mon 07:00-09:00"


def test_bad_ledger_call_window_is_reported(ledger):
    ledger.config('call_windows:\n  busines: "mon 07:00-09:00"\n  private: "evenings"\n')
    result = ledger.run("check")
    assert "unknown key 'busines' in call_windows; did you mean 'business'?" in result.stdout
    assert "call window 'evenings' is not like 'tue-thu 09:00-16:00'" in result.stdout
