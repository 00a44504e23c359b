"""The course catalogue (ADR 0042): the national team shapes the templates, their modules and
half-days; the site staff read them. Each rule refuses with a French message and saves nothing;
a cohort already opened keeps its programme, its times and its hours."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from solidarnum.common.errors import ServiceError
from solidarnum.privacy.models import AuditEvent
from solidarnum.support.courses import services
from solidarnum.support.courses.selectors import cohort_board, outline_of
from solidarnum.support.models import CohortSession, CourseModule, CourseTemplate, TemplateSession
from tests.pages import count_queries, messages_of
from tests.support.factories import enrol, make_cohort, make_person, make_template, scope_of_user


def _as(world, name="admin"):
    return {"acting_user": world.users[name], "scope": scope_of_user(world, name)}


def _module(template):
    return CourseModule.objects.get(template=template)


def _audited(obj, action, pk=None):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(pk or obj.pk), action=action
    ).exists()


def _new(world, **extra):
    fields = {"name": "Initiation", "kind": "initiation", "attendance_threshold": 80} | extra
    return services.create_course_template(**_as(world), **fields)


# --- Services: the rules ------------------------------------------------------------------------


def test_the_national_team_creates_a_course_inactive_and_audited(world):
    template = _new(world, description="  Du clavier à la boîte e-mail  ")
    assert (template.is_active, template.description) == (False, "Du clavier à la boîte e-mail")
    assert _audited(template, "create")


def test_only_the_national_team_edits_the_catalogue(world):
    for name in ("manager_a", "staff_a"):
        with pytest.raises(ServiceError, match="équipe nationale"):
            services.create_course_template(**_as(world, name), name="X", kind="other")
    template = make_template()
    with pytest.raises(ServiceError, match="équipe nationale"):
        services.add_course_module(**_as(world, "staff_a"), template=template, title="Pronote")
    assert not CourseTemplate.objects.filter(name="X").exists()
    assert CourseModule.objects.filter(template=template).count() == 1


@pytest.mark.parametrize("threshold", [0, 101, -5])
def test_the_threshold_is_a_percentage_between_1_and_100(world, threshold):
    with pytest.raises(ServiceError, match="entre 1 et 100"):
        _new(world, attendance_threshold=threshold)
    template = make_template()
    with pytest.raises(ServiceError, match="entre 1 et 100"):
        services.update_course_template(
            **_as(world),
            template=template,
            name=template.name,
            kind=template.kind,
            description="",
            attendance_threshold=threshold,
            is_active=True,
        )
    assert not CourseTemplate.objects.exclude(pk=template.pk).exists()
    template.refresh_from_db()
    assert template.attendance_threshold == 80


def test_a_course_without_sessions_cannot_be_active(world):
    with pytest.raises(ServiceError, match="sans séance"):
        _new(world, is_active=True)
    assert not CourseTemplate.objects.exists()
    template = _new(world)
    services.add_course_module(**_as(world), template=template, title="Les bases")
    with pytest.raises(ServiceError, match="sans séance"):
        services.update_course_template(
            **_as(world),
            template=template,
            name="Initiation renommée",
            kind="initiation",
            description="",
            attendance_threshold=80,
            is_active=True,
        )
    template.refresh_from_db()
    assert (template.name, template.is_active) == ("Initiation", False)


def test_a_course_with_a_session_can_be_activated(world):
    template = _new(world)
    module = services.add_course_module(**_as(world), template=template, title="Les bases")
    services.add_template_session(
        **_as(world), module=module, title="Clavier et souris", duration_minutes=180
    )
    services.update_course_template(
        **_as(world),
        template=template,
        name="Initiation",
        kind="initiation",
        description="",
        attendance_threshold=75,
        is_active=True,
    )
    template.refresh_from_db()
    assert (template.is_active, template.attendance_threshold) == (True, 75)
    assert AuditEvent.objects.filter(
        object_id=str(template.pk), changed_fields=["attendance_threshold", "is_active"]
    ).exists()


def test_two_courses_cannot_share_a_name(world):
    make_template("Initiation")
    with pytest.raises(ServiceError, match="porte déjà ce nom"):
        _new(world, name="  initiation ")


@pytest.mark.parametrize("minutes", [0, 10, 301, 600])
def test_a_half_day_lasts_from_15_minutes_to_5_hours(world, minutes):
    template = make_template(sessions=1)
    module = _module(template)
    with pytest.raises(ServiceError, match="demi-journée"):
        services.add_template_session(
            **_as(world), module=module, title="Le smartphone", duration_minutes=minutes
        )
    session = TemplateSession.objects.get(module=module)
    with pytest.raises(ServiceError, match="demi-journée"):
        services.update_template_session(
            **_as(world), session=session, title="Séance", duration_minutes=minutes
        )
    session.refresh_from_db()
    assert TemplateSession.objects.filter(module=module).count() == 1
    assert session.duration_minutes == 180


def test_titles_are_required(world):
    template = make_template(sessions=1)
    with pytest.raises(ServiceError, match="titre au module"):
        services.add_course_module(**_as(world), template=template, title="   ")
    with pytest.raises(ServiceError, match="titre à la séance"):
        services.add_template_session(
            **_as(world), module=_module(template), title="", duration_minutes=60
        )


def test_modules_and_sessions_go_at_the_end_and_modules_move(world):
    template = make_template("e-parentalité", sessions=2, kind="e_parentalite")
    initiation = _module(template)
    pronote = services.add_course_module(**_as(world), template=template, title="Pronote")
    ent = services.add_course_module(**_as(world), template=template, title="ENT")
    session = services.add_template_session(
        **_as(world), module=pronote, title="La vie scolaire", duration_minutes=180
    )
    assert (pronote.order, ent.order, session.order) == (2, 3, 1)
    services.move_course_module(**_as(world), module=ent, up=True)
    assert [m.title for m in outline_of(template).modules] == ["Les bases", "ENT", "Pronote"]
    services.move_course_module(**_as(world), module=initiation, up=True)  # already first
    services.move_course_module(**_as(world), module=initiation, up=False)
    assert [m.title for m in outline_of(template).modules] == ["ENT", "Les bases", "Pronote"]
    assert _audited(ent, "update") and _audited(initiation, "update")


def test_a_new_duration_leaves_the_hours_of_an_opened_cohort_alone(world):
    cohort = make_cohort(world, template=make_template(sessions=2, minutes=180))
    first = cohort.sessions.order_by("starts_at").first()
    enrol(cohort, make_person(world))
    before = [s.duration_minutes for s in cohort_board(cohort)[0]]
    services.update_template_session(
        **_as(world), session=first.template_session, title="Clavier", duration_minutes=120
    )
    assert [s.duration_minutes for s in cohort_board(cohort)[0]] == before == [180, 180]
    assert TemplateSession.objects.get(pk=first.template_session_id).duration_minutes == 120
    assert _audited(first.template_session, "update")


def test_the_threshold_is_fixed_once_a_cohort_started(world):
    template = make_template()
    make_cohort(world, template=template)  # started two weeks ago
    change = {
        "template": template,
        "name": template.name,
        "kind": template.kind,
        "description": "",
        "is_active": True,
    }
    with pytest.raises(ServiceError, match="seuil d'assiduité ne change plus"):
        services.update_course_template(**_as(world), attendance_threshold=70, **change)
    template.refresh_from_db()
    assert template.attendance_threshold == 80
    services.update_course_template(
        **_as(world), attendance_threshold=80, **change | {"description": "Les bases"}
    )  # the rest may change


def test_the_threshold_may_change_while_cohorts_have_not_started(world):
    template = make_template()
    make_cohort(world, template=template, start=timezone.localdate() + timedelta(days=14))
    services.update_course_template(
        **_as(world),
        template=template,
        name=template.name,
        kind=template.kind,
        description="",
        attendance_threshold=70,
        is_active=True,
    )
    template.refresh_from_db()
    assert template.attendance_threshold == 70


def test_an_unused_session_is_deleted(world):
    template = make_template(sessions=2)
    session = TemplateSession.objects.filter(module__template=template).last()
    pk = session.pk
    assert services.remove_template_session(**_as(world), session=session) is True
    assert not TemplateSession.objects.filter(pk=pk).exists()
    assert _audited(session, "delete", pk)


def test_a_session_a_cohort_ran_is_retired_and_the_cohort_keeps_it(world):
    template = make_template(sessions=3)
    cohort = make_cohort(world, template=template)
    session = cohort.sessions.order_by("starts_at").first().template_session
    assert services.remove_template_session(**_as(world), session=session) is False
    session.refresh_from_db()
    assert session.retired_at is not None
    assert cohort.sessions.count() == 3  # its history is whole
    outline = outline_of(template)
    assert (outline.session_count, outline.planned_minutes) == (2, 360)
    # The next cohorts run the half-days left.
    later = services.create_cohort(
        acting_user=world.users["staff_a"],
        scope=scope_of_user(world, "staff_a"),
        reception_point=world.site_a,
        template=template,
        name="Groupe suivant",
        starts_on=timezone.localdate() + timedelta(days=7),
        capacity=10,
        animators=[world.users["staff_a"]],
    )
    assert session.pk not in set(later.sessions.values_list("template_session_id", flat=True))
    assert later.sessions.count() == 2


def test_a_module_a_cohort_ran_is_retired_with_its_sessions(world):
    template = make_template(sessions=2)
    extra = services.add_course_module(**_as(world), template=template, title="Pronote")
    services.add_template_session(**_as(world), module=extra, title="Pronote", duration_minutes=90)
    module = CourseModule.objects.get(template=template, order=1)
    make_cohort(world, template=template)
    assert services.remove_course_module(**_as(world), module=module) is False
    module.refresh_from_db()
    assert module.retired_at is not None
    assert not TemplateSession.objects.filter(module=module, retired_at__isnull=True).exists()
    assert [m.title for m in outline_of(template).modules] == ["Pronote"]
    # An unused module goes for good.
    unused = services.add_course_module(**_as(world), template=template, title="ENT")
    pk = unused.pk
    assert services.remove_course_module(**_as(world), module=unused) is True
    assert not CourseModule.objects.filter(pk=pk).exists()
    assert _audited(unused, "delete", pk)


def test_an_active_course_keeps_one_session(world):
    template = make_template(sessions=1)
    session = TemplateSession.objects.get(module__template=template)
    with pytest.raises(ServiceError, match="garde au moins une séance"):
        services.remove_template_session(**_as(world), session=session)
    with pytest.raises(ServiceError, match="garde au moins une séance"):
        services.remove_course_module(**_as(world), module=_module(template))
    assert TemplateSession.objects.filter(pk=session.pk, retired_at__isnull=True).exists()


# --- Pages --------------------------------------------------------------------------------------

LIST = reverse("support:course_template_list")


def _catalogue(templates=3, modules=3, sessions=3, prefix="Parcours"):
    for t in range(templates):
        template = CourseTemplate.objects.create(name=f"{prefix} {t}", kind="other")
        for m in range(1, modules + 1):
            module = CourseModule.objects.create(template=template, order=m, title=f"Module {m}")
            TemplateSession.objects.bulk_create(
                TemplateSession(module=module, order=s, title=f"Séance {s}", duration_minutes=90)
                for s in range(1, sessions + 1)
            )
    return template


def test_the_catalogue_shows_what_each_course_contains(world, clients):
    template = make_template("Parcours Emploi", sessions=8, minutes=240, kind="emploi")
    html = clients["staff_a"].get(LIST).content.decode()
    assert "Parcours Emploi" in html and "32 h" in html and "80 %" in html
    assert reverse("support:course_template_create") not in html  # reading only
    page = clients["staff_a"].get(
        reverse("support:course_template_detail", kwargs={"pk": template.pk})
    )
    assert "Les bases" in page.content.decode() and "Séance 8" in page.content.decode()
    assert reverse("support:course_template_update", kwargs={"pk": template.pk}) not in (
        page.content.decode()
    )
    admin = clients["admin"].get(LIST).content.decode()
    assert reverse("support:course_template_create") in admin


def test_the_catalogue_and_a_course_cost_the_same_queries_with_more_rows(world, clients):
    _catalogue(1, 1, 1)
    detail = reverse(
        "support:course_template_detail", kwargs={"pk": CourseTemplate.objects.get().pk}
    )
    few = count_queries(clients["admin"], LIST), count_queries(clients["admin"], detail)
    big = _catalogue(6, 4, 5, prefix="Autre")
    detail_big = reverse("support:course_template_detail", kwargs={"pk": big.pk})
    assert (count_queries(clients["admin"], LIST), count_queries(clients["admin"], detail_big)) == (
        few
    )


def test_a_missing_course_answers_404(world, clients):
    for name in ("support:course_template_detail", "support:course_template_update"):
        assert clients["admin"].get(reverse(name, kwargs={"pk": 999})).status_code == 404
    assert (
        clients["admin"]
        .post(reverse("support:template_session_remove", kwargs={"pk": 999}))
        .status_code
        == 404
    )


def test_creating_a_course_from_the_page(world, clients):
    response = clients["admin"].post(
        reverse("support:course_template_create"),
        {"name": "Initiation", "kind": "initiation", "attendance_threshold": "80"},
    )
    template = CourseTemplate.objects.get(name="Initiation")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "support:course_template_detail", kwargs={"pk": template.pk}
    )


def test_an_active_course_without_sessions_is_refused_on_the_page(world, clients):
    response = clients["admin"].post(
        reverse("support:course_template_create"),
        {"name": "Vide", "kind": "other", "attendance_threshold": "80", "is_active": "on"},
    )
    assert response.status_code == 400
    assert "Rien n&#x27;a été enregistré" in response.content.decode()
    assert "sans séance" in response.content.decode()
    assert not CourseTemplate.objects.exists()


def test_a_bad_threshold_or_duration_is_refused_on_the_page(world, clients):
    template = make_template(sessions=1)
    response = clients["admin"].post(
        reverse("support:course_template_update", kwargs={"pk": template.pk}),
        {"name": "Autre", "kind": "initiation", "attendance_threshold": "150", "is_active": "on"},
    )
    assert response.status_code == 400 and "entre 1 et 100" in response.content.decode()
    template.refresh_from_db()
    assert (template.name, template.attendance_threshold) == ("Initiation", 80)
    session = TemplateSession.objects.get(module__template=template)
    for duration in ("0", "deux heures"):
        response = clients["admin"].post(
            reverse("support:template_session_update", kwargs={"pk": session.pk}),
            {"title": "Nouveau titre", "duration_minutes": duration},
        )
        assert response.status_code == 400
    assert "demi-journée" in response.content.decode() or "nombre de minutes" in (
        response.content.decode()
    )
    session.refresh_from_db()
    assert (session.title, session.duration_minutes) == ("Séance 1", 180)


def test_adding_moving_and_removing_from_the_pages(world, clients):
    template = make_template(sessions=2)
    admin = clients["admin"]
    response = admin.post(
        reverse("support:course_module_create", kwargs={"pk": template.pk}), {"title": "Pronote"}
    )
    assert response.status_code == 302
    pronote = CourseModule.objects.get(title="Pronote")
    assert (
        admin.post(
            reverse("support:template_session_create", kwargs={"pk": pronote.pk}),
            {"title": "La vie scolaire", "duration_minutes": "180"},
        ).status_code
        == 302
    )
    assert (
        admin.post(
            reverse("support:course_module_move", kwargs={"pk": pronote.pk}), {"direction": "up"}
        ).status_code
        == 302
    )
    assert [m.title for m in outline_of(template).modules] == ["Pronote", "Les bases"]
    assert (
        admin.post(
            reverse("support:course_module_update", kwargs={"pk": pronote.pk}), {"title": " "}
        ).status_code
        == 400
    )
    first = TemplateSession.objects.filter(module__template=template, module__order=1).first()
    response = admin.post(reverse("support:template_session_remove", kwargs={"pk": first.pk}))
    assert response.status_code == 302
    assert messages_of(admin.get(response["Location"])) == ["Séance supprimée."]


def test_removing_the_last_session_of_an_active_course_answers_400(world, clients):
    template = make_template(sessions=1)
    session = TemplateSession.objects.get(module__template=template)
    response = clients["admin"].post(
        reverse("support:template_session_remove", kwargs={"pk": session.pk})
    )
    assert response.status_code == 400
    assert "garde au moins une séance" in response.content.decode()
    assert TemplateSession.objects.filter(pk=session.pk).exists()


def test_a_retired_session_is_not_found_any_more(world, clients):
    template = make_template(sessions=2)
    cohort = make_cohort(world, template=template)
    session = cohort.sessions.order_by("starts_at").first().template_session
    services.remove_template_session(**_as(world), session=session)
    url = reverse("support:template_session_update", kwargs={"pk": session.pk})
    assert clients["admin"].get(url).status_code == 404
    assert CohortSession.objects.filter(template_session=session).exists()


def test_the_audit_trail_names_the_course_and_links_its_page(world, clients):
    template = _new(world, name="Parcours Emploi", kind="emploi")
    html = clients["admin"].get(reverse("privacy:audit_list")).content.decode()
    assert "Parcours Emploi" in html
    assert reverse("support:course_template_detail", kwargs={"pk": template.pk}) in html
