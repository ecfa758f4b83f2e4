"""Template helpers of the data (import/export) area."""

from django import template

from assessments.workflow.permissions import can_exchange_data

register = template.Library()
register.filter("can_exchange_data", can_exchange_data)
