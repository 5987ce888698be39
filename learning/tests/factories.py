from learning.models import Case, CaseGoal, ModuleGoal, WorkshopModule


def make_module(key, goals, minutes=45, active=True):
    module = WorkshopModule.objects.create(
        key=key,
        title_sv=f"Modul {key}",
        title_en=f"Module {key}",
        target_groups=["politician", "official"],
        duration_minutes=minutes,
        objectives_sv="- Förstå",
        is_active=active,
    )
    ModuleGoal.objects.bulk_create(ModuleGoal(module=module, goal_key=goal) for goal in goals)
    return module


def make_case(key, organisation, goals, title="Ett exempel", status=Case.Status.PUBLISHED, **extra):
    case = Case.objects.create(
        key=key,
        organisation=organisation,
        welfare_area=extra.pop("welfare_area", "social_services"),
        title_sv=title,
        summary_sv=extra.pop("summary_sv", "Kort sammanfattning."),
        what_was_done_sv=extra.pop("what_was_done_sv", "Vi gjorde något."),
        what_it_gave_sv="Det gav något.",
        status=status,
        **extra,
    )
    CaseGoal.objects.bulk_create(CaseGoal(case=case, goal_key=goal) for goal in goals)
    return case


def modules_for_every_goal(version, minutes=45):
    from frameworks.models import Goal

    return [
        make_module(f"m-{goal.key}", [goal.key], minutes)
        for goal in Goal.objects.filter(area__version=version)
    ]
