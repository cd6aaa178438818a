"""dun: get unpaid invoices paid without burning the customer relationship."""

__version__ = "0.4.0"
