"""Demo customer facts with believable differences between teams, seasonality and growth.

Everything is drawn from one numpy Generator (deterministic for a seed) on whole
arrays and written with COPY / executemany through ``org.bulkcopy``: no per-row ORM.

The hidden drivers are kept in ``shared`` so that later demo steps (talent factors,
enablement behaviour) can make their own data agree with these results:
``person_skill`` (person id -> multiplier around 1) and ``team_profile`` (unit id ->
conversion, churn, margin and health multipliers).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from org.bulkcopy import frame_insert, next_ids
from org.demo import DemoContext, demo_step

from .models import AcquisitionCost, Contract, Customer, Lead, NpsResponse, Opportunity, Usage

SELLING_ROLES = {"sales_rep": 1.0, "account_manager": 0.8, "sales_manager": 0.3, "solution_consultant": 0.2}
SOURCES = np.array(["website", "event", "referral", "partner", "outbound"])
SOURCE_SHARE = np.array([0.35, 0.15, 0.12, 0.13, 0.25])
SOURCE_QUALIFY = np.array([0.45, 0.5, 0.7, 0.55, 0.3])
SOURCE_CONVERT = np.array([1.0, 0.9, 1.4, 1.1, 0.8])
SEGMENTS = np.array(["enterprise", "mid_market", "smb"])
SEGMENT_SHARE = np.array([0.15, 0.35, 0.5])
SEGMENT_AMOUNT = np.array([600_000.0, 150_000.0, 40_000.0])
SEGMENT_CYCLE = np.array([75.0, 45.0, 25.0])
SEGMENT_WIN = np.array([0.8, 1.0, 1.1])
INDUSTRIES = np.array(["manufacturing", "retail", "finance", "healthcare", "education", "logistics", "software"])
# Spring Festival dip in February, year-end push in Q4 (index 0 = January).
SEASON = np.array([0.95, 0.7, 1.0, 1.0, 1.05, 1.05, 0.95, 0.95, 1.05, 1.05, 1.1, 1.2])

EPOCH = np.datetime64("1970-01-01", "D")


def _days(values) -> np.ndarray:
    """Dates (or datetime64) into day numbers since 1970."""
    return (np.asarray(values, dtype="datetime64[D]") - EPOCH).astype(np.int64)


def _dates(day_numbers: np.ndarray) -> np.ndarray:
    return (EPOCH + day_numbers.astype("timedelta64[D]")).astype(str)


def _nullable_dates(day_numbers: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = _dates(np.where(mask, day_numbers, 0)).astype(object)
    out[~mask] = None
    return out


def _month_floor(day_numbers: np.ndarray) -> np.ndarray:
    months = (EPOCH + day_numbers.astype("timedelta64[D]")).astype("datetime64[M]")
    return _days(months.astype("datetime64[D]"))


def team_profiles(rng: np.random.Generator, team_ids: list[int]) -> pd.DataFrame:
    """Per-team multipliers: some teams convert better, some churn more, margins and health differ."""
    n = len(team_ids)
    profile = pd.DataFrame(
        {
            "org_unit_id": team_ids,
            "conversion": rng.lognormal(0.0, 0.22, n),
            "churn": rng.lognormal(0.0, 0.35, n),
            "margin": rng.normal(0.38, 0.05, n).clip(0.2, 0.55),
            "health": rng.normal(0.0, 0.08, n),
            "deal": rng.lognormal(0.0, 0.15, n),
        }
    )
    if n >= 2:
        # Make the contrast visible in the demo: the best converter and the worst churner stand out.
        profile.loc[0, ["conversion", "churn"]] = [1.45, 0.7]
        profile.loc[1, ["conversion", "churn"]] = [0.7, 2.2]
    return profile.set_index("org_unit_id")


def generate_facts(
    *,
    rng: np.random.Generator,
    people: pd.DataFrame,
    team_ids: list[int],
    first_month: dt.date,
    months: int,
    today: dt.date,
    lead_rate: float = 8.0,
    shared: dict | None = None,
    installed_base_months: int = 12,
) -> dict[str, int]:
    """Build and insert leads, opportunities, customers, contracts, NPS, usage and costs.

    ``people`` has columns id, org_unit_id, role, hire_date, exit_date (dates or None).
    Besides the customers won from the window's leads, an installed base won during the
    ``installed_base_months`` before the window (at the window's own pace) brings
    renewals and churn into even a twelve-month window; its usage and NPS start with it.
    """
    shared = shared if shared is not None else {}
    today_n = _days([today])[0]
    profiles = team_profiles(rng, team_ids)
    shared["team_profile"] = profiles

    staff = people.copy()
    staff["skill"] = rng.lognormal(0.0, 0.25, len(staff))
    shared["person_skill"] = dict(zip(staff["id"], staff["skill"], strict=True))
    sellers = staff[staff["role"].isin(list(SELLING_ROLES))].reset_index(drop=True)
    sellers = sellers[sellers["org_unit_id"].isin(profiles.index)].reset_index(drop=True)

    # --- leads: Poisson counts per active seller-month, with growth and seasonality ---
    month_starts = _days(pd.date_range(first_month, periods=months, freq="MS").values)
    month_index = np.arange(months)
    calendar_month = pd.date_range(first_month, periods=months, freq="MS").month.values - 1
    growth = 1.0 + 0.015 * month_index
    hire = _days(pd.to_datetime(sellers["hire_date"]).values)
    exits = pd.to_datetime(sellers["exit_date"])
    exit_n = np.where(exits.isna(), np.iinfo(np.int64).max, _days(exits.fillna(pd.Timestamp("2200-01-01")).values))
    month_end = np.append(month_starts[1:], month_starts[-1] + 31)
    active = (hire[:, None] < month_end[None, :]) & (exit_n[:, None] > month_starts[None, :])
    role_rate = sellers["role"].map(SELLING_ROLES).to_numpy()
    lam = lead_rate * role_rate[:, None] * (SEASON[calendar_month] * growth)[None, :] * active
    counts = rng.poisson(lam)
    seller_idx, month_idx = np.nonzero(counts)
    reps = counts[seller_idx, month_idx]
    lead_seller = np.repeat(seller_idx, reps)
    lead_month = np.repeat(month_idx, reps)
    n_leads = len(lead_seller)
    days_in_month = (month_end - month_starts)[lead_month]
    created = month_starts[lead_month] + (rng.random(n_leads) * days_in_month).astype(np.int64)
    keep = created < today_n
    lead_seller, created = lead_seller[keep], created[keep]
    n_leads = len(lead_seller)
    unit = sellers["org_unit_id"].to_numpy()[lead_seller]
    owner = sellers["id"].to_numpy()[lead_seller].astype(object)
    unowned = rng.random(n_leads) < 0.05
    owner[unowned] = None
    source = rng.choice(len(SOURCES), size=n_leads, p=SOURCE_SHARE)
    qualified = rng.random(n_leads) < SOURCE_QUALIFY[source]
    skill = sellers["skill"].to_numpy()[lead_seller]
    team_conv = profiles["conversion"].reindex(unit).to_numpy()
    p_convert = np.clip(0.3 * team_conv * skill * SOURCE_CONVERT[source], 0, 0.95)
    converted = rng.random(n_leads) < np.where(qualified, p_convert, 0.01)
    converted_on = created + 1 + rng.gamma(2.0, 6.0, n_leads).astype(np.int64)
    converted &= converted_on < today_n
    lead_ids = next_ids(Lead, n_leads)
    leads = pd.DataFrame(
        {
            "id": np.asarray(lead_ids),
            "external_id": [f"L{i:08d}" for i in lead_ids],
            "org_unit_id": unit,
            "owner_id": owner,
            "created_on": _dates(created),
            "source": SOURCES[source],
            "is_qualified": qualified,
            "converted_on": _nullable_dates(converted_on, converted),
        }
    )
    frame_insert(Lead, leads)

    # --- opportunities and (prospect) customers: one per converted lead ---
    conv = np.nonzero(converted)[0]
    n_opp = len(conv)
    opp_unit = unit[conv]
    opp_owner = owner[conv]
    opp_skill = skill[conv]
    opp_created = converted_on[conv]
    segment = rng.choice(len(SEGMENTS), size=n_opp, p=SEGMENT_SHARE)
    team_deal = profiles["deal"].reindex(opp_unit).to_numpy()
    amount = np.round(SEGMENT_AMOUNT[segment] * team_deal * rng.lognormal(0.0, 0.35, n_opp), 2)
    cycle = np.maximum(3, (SEGMENT_CYCLE[segment] * rng.lognormal(0.0, 0.4, n_opp) / opp_skill)).astype(np.int64)
    closed = opp_created + cycle
    is_closed = closed < today_n
    p_win = np.clip(
        0.38 * SEGMENT_WIN[segment] * np.sqrt(profiles["conversion"].reindex(opp_unit).to_numpy()) * opp_skill, 0, 0.9
    )
    won = is_closed & (rng.random(n_opp) < p_win)
    status = np.where(~is_closed, "open", np.where(won, "won", "lost"))
    key_account = (segment == 0) & ((amount > 500_000) | (rng.random(n_opp) < 0.2))

    # --- the installed base: customers won in the year before the window (opportunity and new
    # contract only), so renewals, first-year churn and repeat purchases happen inside the window ---
    won_idx = np.nonzero(won)[0]
    if installed_base_months > 0 and len(won_idx):
        n_base = int(rng.poisson(len(won_idx) / months * installed_base_months * 0.85))
        template = rng.choice(won_idx, n_base)
        base_closed = month_starts[0] - 1 - (rng.random(n_base) * installed_base_months * 30.44).astype(np.int64)
        base_created = base_closed - (closed - opp_created)[template]
        base_owner = opp_owner[template].copy()
        opp_hire = hire[lead_seller[conv]]
        base_owner[opp_hire[template] > base_created] = None  # joined later: the account has no owner yet
        base_amount = np.round(amount[template] * rng.lognormal(0.0, 0.2, n_base), 2)
        opp_unit = np.concatenate([opp_unit, opp_unit[template]])
        opp_owner = np.concatenate([opp_owner, base_owner])
        opp_skill = np.concatenate([opp_skill, opp_skill[template]])
        opp_created = np.concatenate([opp_created, base_created])
        segment = np.concatenate([segment, segment[template]])
        amount = np.concatenate([amount, base_amount])
        closed = np.concatenate([closed, base_closed])
        is_closed = np.concatenate([is_closed, np.ones(n_base, dtype=bool)])
        won = np.concatenate([won, np.ones(n_base, dtype=bool)])
        status = np.concatenate([status, np.full(n_base, "won")])
        key_account = np.concatenate([key_account, key_account[template]])
        n_opp += n_base

    customer_ids = np.asarray(next_ids(Customer, n_opp))
    team_churn = profiles["churn"].reindex(opp_unit).to_numpy()
    acquired = np.where(won, closed, 0)
    first_year_churn = won & (rng.random(n_opp) < np.clip(0.12 * team_churn / np.sqrt(opp_skill), 0, 0.8))
    churned = np.where(first_year_churn, acquired + rng.integers(30, 366, n_opp), 0)
    customers = pd.DataFrame(
        {
            "id": customer_ids,
            "external_id": [f"C{i:07d}" for i in customer_ids],
            "name": [f"客户 {i:07d}" for i in customer_ids],
            "segment": SEGMENTS[segment],
            "industry": INDUSTRIES[rng.integers(0, len(INDUSTRIES), n_opp)],
            "org_unit_id": opp_unit,
            "owner_id": opp_owner,
            "acquired_on": _nullable_dates(acquired, won),
            "churned_on": None,  # filled below once renewals are decided
        }
    )
    opp_ids = next_ids(Opportunity, n_opp)
    opportunities = pd.DataFrame(
        {
            "id": np.asarray(opp_ids),
            "external_id": [f"O{i:08d}" for i in opp_ids],
            "customer_id": customer_ids,
            "org_unit_id": opp_unit,
            "owner_id": opp_owner,
            "created_on": _dates(opp_created),
            "closed_on": _nullable_dates(closed, is_closed),
            "status": status,
            "amount": amount,
            "is_key_account": key_account,
        }
    )

    # --- contracts: new business, renewal chains, upsell / cross-sell ---
    w = np.nonzero(won)[0]
    margin = profiles["margin"].reindex(opp_unit[w]).to_numpy() + rng.normal(0, 0.04, len(w))
    start = closed[w] + rng.integers(0, 15, len(w))
    contract_parts = [
        dict(
            customer=w,
            kind=np.full(len(w), "new"),
            signed=closed[w],
            start=start,
            end=start + 364,
            value=amount[w],
            margin=np.clip(margin, 0.05, 0.7),
            renews=np.full(len(w), -1),
        )
    ]
    churn_day = np.where(first_year_churn, churned, np.iinfo(np.int64).max)
    generation = contract_parts[0]
    generation_ids = np.arange(len(w))
    offset = len(w)
    while True:
        ended = (generation["end"] < today_n) & (churn_day[generation["customer"]] > generation["end"])
        if not ended.any():
            break
        cust = generation["customer"][ended]
        p_renew = np.clip(0.86 / np.power(team_churn[cust], 0.4), 0.3, 0.97)
        renew = rng.random(len(cust)) < p_renew
        lost_customers = cust[~renew]
        churn_day[lost_customers] = generation["end"][ended][~renew] + 1
        cust = cust[renew]
        if len(cust) == 0:
            break
        prev_end = generation["end"][ended][renew]
        new_start = prev_end + 1
        nxt = dict(
            customer=cust,
            kind=np.full(len(cust), "renewal"),
            signed=prev_end - rng.integers(0, 25, len(cust)),
            start=new_start,
            end=new_start + 364,
            value=np.round(generation["value"][ended][renew] * rng.uniform(0.97, 1.12, len(cust)), 2),
            margin=np.clip(generation["margin"][ended][renew] + rng.normal(0.02, 0.02, len(cust)), 0.05, 0.75),
            renews=generation_ids[ended][renew],
        )
        generation_ids = np.arange(offset, offset + len(cust))
        offset += len(cust)
        contract_parts.append(nxt)
        generation = nxt
    # upsell and cross-sell: a chance per half-year of active life
    alive_until = np.minimum(churn_day[w], today_n)
    halves = np.maximum(0, (alive_until - acquired[w]) // 182)
    n_up = rng.binomial(halves, np.clip(0.12 * opp_skill[w], 0, 0.5))
    up_cust = np.repeat(w, n_up)
    if len(up_cust):
        span = np.maximum(1, alive_until[np.searchsorted(w, up_cust)] - acquired[up_cust])
        signed_up = acquired[up_cust] + (rng.random(len(up_cust)) * span).astype(np.int64)
        contract_parts.append(
            dict(
                customer=up_cust,
                kind=np.where(rng.random(len(up_cust)) < 0.6, "upsell", "cross_sell"),
                signed=signed_up,
                start=signed_up + 1,
                end=signed_up + 365,
                value=np.round(amount[up_cust] * rng.uniform(0.15, 0.4, len(up_cust)), 2),
                margin=np.clip(rng.normal(0.5, 0.05, len(up_cust)), 0.1, 0.8),
                renews=np.full(len(up_cust), -1),
            )
        )
    merged = {key: np.concatenate([part[key] for part in contract_parts]) for key in contract_parts[0]}
    keep = merged["signed"] < today_n
    n_contracts = len(merged["customer"])
    contract_ids = np.asarray(next_ids(Contract, n_contracts))
    renews_id = np.where(merged["renews"] >= 0, contract_ids[np.maximum(merged["renews"], 0)], 0).astype(object)
    renews_id[merged["renews"] < 0] = None
    contracts = pd.DataFrame(
        {
            "id": contract_ids,
            "external_id": [f"K{i:08d}" for i in contract_ids],
            "customer_id": customer_ids[merged["customer"]],
            "org_unit_id": opp_unit[merged["customer"]],
            "owner_id": opp_owner[merged["customer"]],
            "kind": merged["kind"],
            "signed_on": _dates(merged["signed"]),
            "start_on": _dates(merged["start"]),
            "end_on": _dates(merged["end"]),
            "value": merged["value"],
            "gross_margin": np.round(merged["value"] * merged["margin"], 2),
            "renews_id": renews_id,
        }
    )[keep]
    has_churned = (churn_day < np.iinfo(np.int64).max) & (churn_day < today_n)
    customers["churned_on"] = _nullable_dates(np.where(has_churned, churn_day, 0), has_churned)
    frame_insert(Customer, customers)
    frame_insert(Opportunity, opportunities)
    frame_insert(Contract, contracts)

    # --- usage (monthly) and NPS (quarterly, a third of customers answer) ---
    first_active = np.maximum(_month_floor(np.where(won, acquired, today_n)), month_starts[0])
    last_active = np.where(has_churned, churn_day, today_n)
    n_months = np.where(won, np.maximum(0, (last_active - first_active) // 30.44).astype(np.int64), 0)
    usage_cust = np.repeat(np.arange(n_opp), n_months)
    month_offset = np.arange(len(usage_cust)) - np.repeat(np.cumsum(n_months) - n_months, n_months)
    usage_month = (
        (EPOCH + first_active[usage_cust].astype("timedelta64[D]")).astype("datetime64[M]") + month_offset
    ).astype("datetime64[D]")
    health = profiles["health"].reindex(opp_unit[usage_cust]).to_numpy() - 0.15 * first_year_churn[usage_cust]
    ratio = np.clip(rng.beta(6, 3, len(usage_cust)) + health, 0, 1).round(4)
    usage = pd.DataFrame(
        {"customer_id": customer_ids[usage_cust], "month": usage_month.astype(str), "active_ratio": ratio}
    )
    usage = usage[usage_month < np.datetime64(today, "D")]
    frame_insert(Usage, usage)

    n_quarters = n_months // 3
    answers = rng.binomial(n_quarters, 0.35)
    nps_cust = np.repeat(np.arange(n_opp), answers)
    nps_day = first_active[nps_cust] + (rng.random(len(nps_cust)) * np.maximum(1, n_months[nps_cust] * 30)).astype(
        np.int64
    )
    mood = profiles["health"].reindex(opp_unit[nps_cust]).to_numpy() * 10 - 1.5 * first_year_churn[nps_cust]
    score = np.clip(np.round(rng.normal(7.6 + mood, 1.9)), 0, 10).astype(int)
    valid = nps_day < today_n
    nps_ids = next_ids(NpsResponse, int(valid.sum()))
    nps = pd.DataFrame(
        {
            "id": np.asarray(nps_ids),
            "external_id": [f"N{i:08d}" for i in nps_ids],
            "customer_id": customer_ids[nps_cust[valid]],
            "responded_on": _dates(nps_day[valid]),
            "score": score[valid],
        }
    )
    frame_insert(NpsResponse, nps)

    # --- acquisition costs per team and month, roughly proportional to selling head count ---
    team_heads = sellers.groupby("org_unit_id").size().reindex(profiles.index).fillna(0).to_numpy()
    cost = np.round(
        np.outer(team_heads * 18_000.0, SEASON[calendar_month] * growth)
        * rng.lognormal(0, 0.1, (len(team_heads), months)),
        2,
    )
    costs = pd.DataFrame(
        {
            "org_unit_id": np.repeat(profiles.index.to_numpy(), months),
            "month": np.tile(_dates(month_starts), len(team_heads)),
            "amount": cost.ravel(),
        }
    )
    costs = costs[np.tile(month_starts, len(team_heads)) < today_n]
    frame_insert(AcquisitionCost, costs)
    return {
        "leads": len(leads),
        "opportunities": len(opportunities),
        "customers": len(customers),
        "contracts": len(contracts),
        "usage": len(usage),
        "nps_responses": len(nps),
        "acquisition_costs": len(costs),
    }


@demo_step("performance_facts", order=100, label=_("Customer facts"))
def facts_demo_step(ctx: DemoContext) -> dict[str, int]:
    """Seed step: the facts of every team over the demo window, from the people the org step made."""
    people = ctx.shared["people"][["id", "org_unit_id", "role", "hire_date", "exit_date"]]
    return generate_facts(
        rng=ctx.rng,
        people=people,
        team_ids=ctx.shared["team_ids"],
        first_month=ctx.first_month,
        months=ctx.months,
        today=ctx.today,
        lead_rate=ctx.scale.lead_rate,
        shared=ctx.shared,
    )
