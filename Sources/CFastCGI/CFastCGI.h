// The part of libfcgi RecServe uses: the reentrant FCGX_* API from fcgiapp.h.
// fcgi_stdio.h is deliberately not included: it redefines stdio and is not reentrant.
#ifndef REC_CFASTCGI_H
#define REC_CFASTCGI_H

#include <fcgiapp.h>

#endif
