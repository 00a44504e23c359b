"""The JSON API (référents send and follow their referrals), its documentation, and the page
where référents manage their API tokens."""

from collections.abc import Mapping
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from solidarnum.accounts.access import PUBLIC, access, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import User
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.beneficiaries.timeline import milestones_of
from solidarnum.common.errors import ServiceError
from solidarnum.privacy.audit import record, record_reads
from solidarnum.privacy.models import AuditAction
from solidarnum.referrals.models import Referral, ReferralQuerySet
from solidarnum.referrals.selectors import referrals_for
from solidarnum.referrals.services import create_referral

from . import idempotency, schema, services
from .filters import ReferralFilter
from .forms import ApiTokenForm
from .models import ApiToken
from .pagination import NewestFirst
from .permissions import FollowsAccessRule, api_scope
from .selectors import tokens_of
from .serializers import ReferralCreateSerializer, ReferralSerializer

REFERENTS = roles(Role.REFERENT)
MAX_REFERENCE_LENGTH = 12
TAGS = ["Bons d'orientation"]  # an OpenAPI tag is an identifier, not a translated text

# --- API -----------------------------------------------------------------------------------------


def _with_milestones(context: Mapping[str, Any], referrals: list[Referral]) -> dict[str, Any]:
    ids = [r.beneficiary_id for r in referrals if r.beneficiary_id is not None]
    return {**context, "milestones": milestones_of(ids) if ids else {}}


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary=gettext_lazy("Bons d'orientation de ma structure"),
        description=gettext_lazy(
            "Du plus récent au plus ancien, pagination par curseur (lien « next »). "
            "Filtre facultatif : ?status=open, under_review, validated, refused ou expired ; "
            "toute autre valeur répond 400."
        ),
        parameters=[schema.PAGE_SIZE, schema.RETRY_AFTER],
        responses={
            200: OpenApiResponse(
                ReferralSerializer(many=True),
                description=gettext_lazy("Une page de bons, du plus récent au plus ancien."),
            ),
            **schema.LIST_ERRORS,
        },
    ),
    post=extend_schema(
        tags=TAGS,
        summary=gettext_lazy("Envoyer un bon d'orientation"),
        description=gettext_lazy(
            "Crée le bon pour la structure du jeton. Répond 201 avec son code (« reference ») "
            "et son statut ; 400 avec les erreurs par champ, en français, sans rien enregistrer. "
            "Avec un en-tête Idempotency-Key, une requête renvoyée ne crée pas de second bon."
        ),
        request=ReferralCreateSerializer,
        parameters=[schema.IDEMPOTENCY_KEY, schema.REPLAYED, schema.RETRY_AFTER],
        responses={
            201: OpenApiResponse(
                ReferralSerializer,
                description=gettext_lazy("Bon créé (ou réponse rejouée pour la même clé)."),
            ),
            **schema.CREATE_ERRORS,
        },
    ),
)
class ReferralListCreate(generics.ListCreateAPIView[Referral]):
    """A référent's referrals: the structure of the token (or of the current role)."""

    access_rule = REFERENTS
    serializer_class = ReferralSerializer
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReferralFilter

    def get_queryset(self) -> ReferralQuerySet:
        return referrals_for(api_scope(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # always paginated
        # Each listed referral is as readable as its detail: traced (once per hour per reader).
        record_reads(actor=request.user, action=AuditAction.VIEW, objects=page)
        context = _with_milestones(self.get_serializer_context(), page)
        data = ReferralSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = idempotency.key_of(request)
        if key is None:
            return self._create_referral(request)
        return idempotency.run_once(request, key, lambda: self._create_referral(request))

    def _create_referral(self, request: Request) -> Response:
        scope = api_scope(request)
        membership = scope.membership
        assert membership is not None and membership.partner_structure is not None
        structure = membership.partner_structure
        serializer = ReferralCreateSerializer(
            data=request.data, context={"partner_structure": structure}
        )
        serializer.is_valid(raise_exception=True)
        referral = create_referral(
            acting_user=acting_user_of(request),
            referral=Referral(
                **serializer.referral_fields(),
                partner_structure=structure,
                consent_given_at=timezone.now(),
            ),
        )
        context = _with_milestones(self.get_serializer_context(), [referral])
        return Response(
            ReferralSerializer(referral, context=context).data, status=status.HTTP_201_CREATED
        )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary=gettext_lazy("Suivre un bon d'orientation"),
        description=gettext_lazy(
            "Statut, motif de refus, date de décision et étapes du parcours de la personne. "
            "Un code inconnu ou d'une autre structure répond 404."
        ),
        parameters=[schema.REFERENCE, schema.RETRY_AFTER],
        responses={
            200: OpenApiResponse(ReferralSerializer, description=gettext_lazy("Le bon.")),
            **schema.DETAIL_ERRORS,
        },
    )
)
class ReferralDetail(generics.RetrieveAPIView[Referral]):
    """One referral of the caller's structure; any other reference answers 404."""

    access_rule = REFERENTS
    serializer_class = ReferralSerializer
    lookup_field = "reference"

    def get_queryset(self) -> ReferralQuerySet:
        return referrals_for(api_scope(self.request))

    def get_object(self) -> Referral:
        reference = str(self.kwargs["reference"])[:MAX_REFERENCE_LENGTH].upper()
        referral = self.get_queryset().filter(reference=reference).first()
        if referral is None:
            raise NotFound  # DRF's French "Non trouvé.", not Django's English Http404 text
        return referral

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = self.get_object()
        record(actor=request.user, action=AuditAction.VIEW, obj=referral)
        context = _with_milestones(self.get_serializer_context(), [referral])
        return Response(ReferralSerializer(referral, context=context).data)


class Schema(SpectacularAPIView):
    access_rule = PUBLIC
    authentication_classes: list[Any] = []
    permission_classes = [FollowsAccessRule]


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI from our static files; its init script is a separate URL (strict CSP)."""

    access_rule = PUBLIC
    authentication_classes: list[Any] = []
    permission_classes = [FollowsAccessRule]
    url_name = "api:api_schema"
    template_name = "api/swagger_ui.html"
    title = "API solidarnum"


# --- Token management pages ----------------------------------------------------------------------


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)  # the access rule let only logged-in référents in


@never_cache  # the page may show a clear key once: never keep it in a cache
@access(REFERENTS)
def api_tokens(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = ApiTokenForm(request.POST or None)
    created: tuple[ApiToken, str] | None = None
    if request.method == "POST" and form.is_valid():
        membership = scope.membership
        assert membership is not None and membership.partner_structure is not None
        try:
            created = services.create_api_token(
                acting_user=acting_user_of(request),
                partner_structure=membership.partner_structure,
                name=form.cleaned_data["name"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            form = ApiTokenForm()
    tokens = tokens_of(_me(request))

    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": tokens[:100],
            "new_token": created[0] if created else None,
            "new_key": created[1] if created else None,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@access(REFERENTS)
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=_me(request))
    services.revoke_api_token(acting_user=acting_user_of(request), token=token)
    messages.success(
        request,
        _("Le jeton « %(name)s » est révoqué : il ne fonctionne plus.") % {"name": token.name},
    )
    return redirect("api:api_tokens")
