"""Who the demo's organisations are and how mature they are: a model, no database writes.

Target groups come from the real structure: the executive committee (kommunstyrelse,
regionstyrelse) of 11–15 politicians, a management team of 8–12 leading officials and a
handful (3–6) of other key persons. In a round an organisation takes part in, 40–90 % of each
invited group answer; a few organisations do not take part in a wave, and in a few only two to
four people answer (their figures stay hidden).

Maturity differs by goal (the nation is surer of its leadership than of its architecture), by
organisation, and within an organisation (each has two or three weak goals). Between the
waves every organisation drifts a little; on a goal it worked on (a held workshop, or an
action-plan activity under way or done), it improves clearly on the goals where such work
helps (``EFFECTIVE_GOALS``) in seven cases out of ten, and not at all on the others. Picks
follow an organisation's true weak goals, not its measured ones, so that regression to the
mean does not pass for an effect.

Deterministic: one seeded generator per concern, none of them depending on the load day, so
that every count the README states is the same whenever the demo is loaded.
"""

import math
import random
from dataclasses import dataclass, field

GROUPS = ("politician", "official", "key_person")
INVITED = {"politician": (11, 15), "official": (8, 12), "key_person": (3, 6)}
RESPONSE_RATE = (0.40, 0.90)
SHARE_WOMEN = {"politician": 0.43, "official": 0.52, "key_person": 0.60}  # as the reference shares
# The national level of each goal, before an organisation's own differences.
GOAL_LEVELS = {
    "ledning-1": 3.8,
    "ledning-2": 3.3,
    "ledning-3": 2.9,
    "ledning-4": 3.5,
    "arkitektur-1": 2.5,
    "arkitektur-2": 2.2,
    "arkitektur-3": 2.7,
    "arkitektur-4": 3.2,
    "information-1": 2.8,
    "information-2": 2.3,
    "information-3": 3.0,
    "information-4": 3.3,
    "service-1": 3.6,
    "service-2": 3.0,
    "service-3": 2.6,
    "service-4": 3.4,
}
# Goals where working on them pays off by the follow-up; on the others it does not (yet).
EFFECTIVE_GOALS = {"ledning-3", "arkitektur-1", "information-2", "service-1", "service-3"}
GROUP_BIAS = {"politician": 0.15, "official": -0.05, "key_person": 0.0}
# Trelleborg's politicians and officials see three goals differently (the perception gap).
GAP_ORGANISATION = "1287"
GAP_GOALS = {"ledning-2": 0.6, "information-1": 0.55, "service-2": 0.6}
# Organisations whose coordinators log in take part fully in both waves.
ALWAYS = {"1287", "05"}
TRELLEBORG_INVITED = {"politician": 15, "official": 12, "key_person": 6}
TRELLEBORG_ANSWERED = [
    {"politician": 11, "official": 9, "key_person": 4},  # baseline
    {"politician": 12, "official": 10, "key_person": 5},  # follow-up
]


@dataclass
class Member:
    """One organisation in the model."""

    pk: int
    code: str
    invited: dict[str, int]
    levels: dict[str, float]  # latent maturity per goal key at the baseline
    weak: list[str]  # its true weak goals
    takes_part: list[bool]  # per wave
    answered: list[dict[str, int]] = field(default_factory=list)  # per wave and group
    drift: float = 0.0
    worked: set[str] = field(default_factory=set)  # goals worked on between the waves
    pays_off: dict[str, float] = field(default_factory=dict)  # extra improvement per goal

    def level(self, wave: int, group: str, goal: str) -> float:
        value = self.levels[goal] + GROUP_BIAS[group]
        if self.code == GAP_ORGANISATION and goal in GAP_GOALS:
            gap = GAP_GOALS[goal]
            value += gap if group == "politician" else -gap if group == "official" else 0
        if wave:
            value += self.drift + self.pays_off.get(goal, 0.0)
        return value


def _sizes(rng: random.Random, org) -> dict[str, int]:
    big = org.kind == "region" or org.kommungrupp in ("A1", "B3")
    small = org.kommungrupp.startswith("C")
    low, high = INVITED["politician"]
    politicians = rng.randint(13, high) if big else rng.randint(low, 13) if small else None
    return {
        "politician": politicians or rng.randint(low, high),
        "official": rng.randint(10, 12) if big else rng.randint(*INVITED["official"]),
        "key_person": rng.randint(*INVITED["key_person"]),
    }


def _answered(rng: random.Random, invited: dict[str, int], few: bool) -> dict[str, int]:
    if few:  # only two to four answered in all
        total = rng.randint(2, 4)
        return {"politician": total // 2, "official": total - total // 2, "key_person": 0}
    base = rng.uniform(0.45, 0.85)
    low, high = RESPONSE_RATE
    return {
        group: min(math.floor(n * high), max(math.ceil(n * low), round(n * (base + jitter))))
        for group, n in invited.items()
        for jitter in [rng.gauss(0, 0.08)]
    }


def build(organisations) -> dict[int, Member]:
    """The model of every organisation (in code order), deterministic."""
    sizes_rng, level_rng, part_rng = random.Random(11), random.Random(12), random.Random(13)
    members = {}
    for org in sorted(organisations, key=lambda o: o.code):
        invited = _sizes(sizes_rng, org)
        own = level_rng.gauss(0, 0.35) + (0.15 if org.kommungrupp in ("A1", "B3") else 0)
        weak = level_rng.sample(sorted(GOAL_LEVELS), level_rng.choice([2, 3]))
        levels = {
            key: min(4.7, max(1.4, base + own + level_rng.gauss(0, 0.3) - 0.7 * (key in weak)))
            for key, base in GOAL_LEVELS.items()
        }
        draw = part_rng.random()
        in_baseline = org.code in ALWAYS or draw >= 0.06
        in_follow_up = org.code in ALWAYS or (in_baseline and part_rng.random() >= 0.08)
        member = Member(org.pk, org.code, invited, levels, weak, [in_baseline, in_follow_up])
        for _wave in (0, 1):
            few = org.code not in ALWAYS and part_rng.random() < 0.03
            member.answered.append(_answered(sizes_rng, invited, few))
        member.drift = level_rng.gauss(0.08, 0.08)
        if org.code == GAP_ORGANISATION:
            member.invited = dict(TRELLEBORG_INVITED)
            member.answered = [dict(wave) for wave in TRELLEBORG_ANSWERED]
        members[org.pk] = member
    return members


def set_worked(members: dict[int, Member], worked: dict[int, set[str]], seed: int = 14) -> None:
    """Record what each organisation worked on and whether it paid off (deterministic)."""
    rng = random.Random(seed)
    for pk in sorted(members):
        member = members[pk]
        member.worked = set(worked.get(pk, set()))
        member.pays_off = {}
        for goal in sorted(member.worked):
            helps = goal in EFFECTIVE_GOALS and (
                member.code == GAP_ORGANISATION or rng.random() < 0.7
            )
            gain = rng.uniform(0.5, 0.9)
            member.pays_off[goal] = gain if helps else 0.0
